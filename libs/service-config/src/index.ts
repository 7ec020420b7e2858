export type { ClusterStores } from './cluster-stores.js';
