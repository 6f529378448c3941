export * from './address.js';
export * from './desired.js';
export * from './diagnostic.js';
export * from './live.js';
export * from './plan.js';
export * from './roles.js';
export * from "./email.js";
export * from "./fingerprint.js";
