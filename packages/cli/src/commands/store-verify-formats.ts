/** The output formats of `eda store verify` (kept apart so that `main` does not load the command). */
export const VERIFY_FORMATS = ["text", "json"] as const;
