export { loadDesiredFile, parseDesired, type LoadResult } from './load.js';
export { CONFIG_CODES, type ConfigCode } from './codes.js';
export { DEFAULTS } from './normalize.js';
export { SCHEMA_URL } from './schema.js';
