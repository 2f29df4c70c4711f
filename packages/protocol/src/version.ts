import rootPackage from '../../../package.json' with { type: 'json' };

/**
 * The product's one version: the root package.json's `version`. `boocode --version`,
 * `GET /api/health` and Settings' "About" line all say it; CHANGELOG.md says what changed.
 */
export const BOOCODE_VERSION: string = rootPackage.version;
