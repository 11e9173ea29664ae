/** The choices of `eda init`, apart so that parsing the arguments loads nothing else of it. */

/** The starter models `eda init --template` offers. */
export const TEMPLATES = ["minimal", "shop"] as const;
export type Template = (typeof TEMPLATES)[number];

/** The package managers `eda init` knows the commands of. */
export const PACKAGE_MANAGERS = ["npm", "pnpm", "yarn", "bun"] as const;
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];
