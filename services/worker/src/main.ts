#!/usr/bin/env node
// The worker as its own process (`node services/worker/dist/main.js`, a
// container's command): the same as `flowline serve worker`.
import { serveWorker } from './serve-worker.js';

process.exitCode = await serveWorker({ env: process.env, stdout: process.stdout, stderr: process.stderr });
