/**
 * Native ESM (`node --experimental-vm-modules`): execa and the rest of the
 * stack are ESM-only. SWC strips types; type checking is `npm run typecheck`'s
 * job. The `@flowline/source` condition resolves workspace packages to their
 * TypeScript source, so tests never run stale builds.
 */
/** @type {import('jest').Config} */
const config = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
      },
    ],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironmentOptions: { customExportConditions: ['@flowline/source', 'node', 'node-addons'] },
  testMatch: [
    '<rootDir>/{libs,services,bench}/*/src/**/*.test.ts',
    '<rootDir>/services/*/test/**/*.test.ts',
    '<rootDir>/scripts/**/*.test.ts',
  ],
  globalSetup: '<rootDir>/scripts/jest-global-setup.js',
};

export default config;
