export { buildTrustPage, renderTrustPage, gatherTrustInputs, loadDeclaration, loadManifestTemplate, dependencyRoots, rscPermissions, trustPagePath, type TrustInputs } from './render.js';
export { collectDependencies, collectImports, findInstalledPackage, scanImports, packageNameOf, packageUrl, packageLicense, stripComments, isShippedSource, type Dependency } from './dependencies.js';
export { checkTrustPages, writeTrustPages, type TrustStatus } from './pages.js';
