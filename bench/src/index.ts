export { generateWorkflow } from './generate-workflow.js';
