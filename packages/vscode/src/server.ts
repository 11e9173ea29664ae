// The language server bundled into the extension: `eda lsp`, with the version of the extension.
import { runLsp } from "../../cli/src/commands/lsp.js";
import manifest from "../package.json" with { type: "json" };

runLsp(manifest.version);
