/** planManifest: the text edit of package.json that eda init --existing makes. */
import { describe, expect, it } from "vitest";
import { planManifest } from "../../src/init/manifest.js";

describe("planManifest", () => {
  it("refuses a field it edits that is there twice (JSON.parse reads the last, the edit would change the first)", () => {
    // Without the refusal, typescript ^5 in the first object became eda's ~6, and npm still read the second.
    const devTwice = '{\n  "devDependencies": { "typescript": "^5" },\n  "devDependencies": { "b": "2" }\n}\n';
    expect(() => planManifest(devTwice, "0.1.0")).toThrow('package.json:3:3: "devDependencies" is there twice; npm reads only the last one and eda init --existing would edit the first: merge them, then run it again');
    // Without it, eda's scripts went into the first "scripts", which npm never reads.
    const scriptsTwice = '{\r\n  "scripts": { "a": "1" },\r\n  "scr\\u0069pts": { "b": "2" }\r\n}\r\n';
    expect(() => planManifest(scriptsTwice, "0.1.0")).toThrow('package.json:3:3: "scripts" is there twice');
  });

  it("accepts a key named like a field inside another object or a string", () => {
    const text = '{\n  "config": { "scripts": { "a": "b" }, "dependencies": {} },\n  "description": "\\"scripts\\": {}",\n  "scripts": {}\n}\n';
    const plan = planManifest(text, "0.1.0");
    expect(JSON.parse(plan.text)).toMatchObject({ config: { scripts: { a: "b" } }, description: '"scripts": {}', scripts: { "eda:check": "eda check", "eda:generate": "eda generate" } });
  });
});
