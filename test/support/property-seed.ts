/**
 * Every fast-check property in the suite runs from one fixed seed, so a CI run is repeatable:
 * `EDA_PROPERTY_SEED=<n>` varies it (a property that names its own seed keeps it).
 */
import fc from "fast-check";

fc.configureGlobal({ seed: Number(process.env["EDA_PROPERTY_SEED"] ?? 42) });
