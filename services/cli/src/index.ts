export { type CliIo, EXIT } from './cli-io.js';
export { COMMANDS, main } from './main.js';
