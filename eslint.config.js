import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["**/dist/**", "**/node_modules/**", "**/*.d.ts", "test/fixtures/**", "**/generated/**", "**/*.generated.ts", "**/*.generated/**", "**/.eda-out/**", "**/.out/**", "test/cases/generate/**", "test/random-models/out/**", "test/hostile/out/**"],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    // The front end and the generator are pure (their imports are checked by `pnpm imports`).
    files: ["packages/language/src/**", "packages/generator/src/**"],
    rules: {
      "no-restricted-globals": [
        "error",
        { name: "process", message: "language and generator are pure: the CLI passes what they need." },
        { name: "console", message: "language and generator are pure: report a diagnostic or return data." },
      ],
    },
  },
);
