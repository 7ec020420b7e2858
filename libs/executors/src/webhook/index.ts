export { type EgressPolicy, parseEgressAllow } from './egress-policy.js';
export { MAX_REDIRECTS, webhookExecutor } from './webhook-executor.js';
