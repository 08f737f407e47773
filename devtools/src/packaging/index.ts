export { loadEnv, localDefaults, parseDotenv, stableUuid, type LoadedEnv, type LoadEnvOptions } from './env.js';
export { resolveManifest, validateManifest, manifestRuleErrors, placeholdersIn, type TeamsManifest, type ValidateOptions } from './manifest.js';
export { checkIcons, checkColorIcon, checkOutlineIcon, decodePng, COLOR_ICON_SIZE, OUTLINE_ICON_SIZE, COLOR_ICON_PADDING } from './icons.js';
export { buildPackage, defaultZipPath, appPackageDir, type PackageResult, type BuildPackageOptions } from './package.js';
export { repoRoot, manifestSchemaPath } from './paths.js';
