import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

import { RunCoordinator, WorkflowStore } from '@flowline/cluster';
import { type BoardQueues, createRunAdmission, createStepDispatcher, openBoardQueues } from '@flowline/queue-bullmq';
import type { ClusterStores } from '@flowline/service-config';
import type { Express } from 'express';
import { Registry, collectDefaultMetrics } from 'prom-client';

import type { ApiLog } from './api-log.js';
import { createCoordinatorApp } from './app.js';
import { bullBoardHandler } from './bull-board.js';

export interface CoordinatorServiceOptions {
  readonly stores: ClusterStores;
  readonly redisUrl: string;
  /** The queues' key prefix, with a hash tag (`{flowline}`). */
  readonly prefix: string;
  /** The URL names a Redis Cluster node. */
  readonly redisCluster?: boolean;
  /** 0 picks a free port. */
  readonly port: number;
  /** Default 0.0.0.0 (every interface), as a container needs. */
  readonly host?: string;
  readonly tokenDigests: readonly string[];
  readonly workflowsDir: string;
  readonly secrets: Readonly<Record<string, string>>;
  /** Scratch space for workflow bundles on their way to and from the blob store. */
  readonly tempDir: string;
  readonly maxBodyBytes?: number;
  readonly log?: ApiLog;
}

export interface CoordinatorService {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string;
  /** The express app serving the API (its routes can be inspected). */
  readonly app: Express;
  /** Stops taking requests, lets report handlers in flight finish, disconnects from Redis. The stores stay open (their owner closes them). */
  close(): Promise<void>;
}

/**
 * A coordinator process's parts, wired: the run coordinator consuming
 * reports and dispatching steps, and the HTTP API in front of it. Any
 * number may run against the same Redis and stores.
 */
export async function startCoordinatorService(options: CoordinatorServiceOptions): Promise<CoordinatorService> {
  const target = {
    redisUrl: options.redisUrl,
    prefix: options.prefix,
    ...(options.redisCluster === undefined ? {} : { cluster: options.redisCluster }),
  };
  // Everything opened so far is closed again, newest first, if a later part fails to start
  // (a port in use must end the process, not leave it hanging on open connections).
  const opened: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of opened.reverse()) await close();
  };
  try {
    const dispatcher = await createStepDispatcher(target);
    opened.push(() => dispatcher.close());
    const board: BoardQueues = await openBoardQueues(target);
    opened.push(() => board.close());
    const admission = await createRunAdmission(target);
    opened.push(() => admission.close());
    const { stores, secrets } = options;
    const workflows = new WorkflowStore(stores.blobs, options.tempDir);
    const coordinator = new RunCoordinator({
      runs: stores.runs,
      logs: stores.logs,
      deadLetters: stores.deadLetters,
      workflows,
      dispatcher,
      admission,
      clock: Date.now,
      secrets,
    });
    await coordinator.start();
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'flowline_coordinator_' });
    const app = createCoordinatorApp({
      control: coordinator,
      runs: stores.runs,
      logs: stores.logs,
      deadLetters: stores.deadLetters,
      workflows,
      depths: () => dispatcher.depths(),
      ready: async () => {
        await Promise.all([stores.ping(), board.ping()]);
      },
      tokenDigests: options.tokenDigests,
      workflowsDir: options.workflowsDir,
      secrets,
      registry,
      bullBoard: bullBoardHandler(board.queues),
      ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
      ...(options.log === undefined ? {} : { log: options.log }),
    });
    const server = await listen(app, options.port, options.host ?? '0.0.0.0');
    opened.push(() => stopServer(server));
    const { port } = server.address() as AddressInfo;
    const shown = options.host === undefined || options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
    let closed: Promise<void> | undefined;
    return {
      url: `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`,
      app,
      close: () => (closed ??= closeAll()),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error === undefined ? resolve(server) : reject(error)));
  });
}

/** How long requests in flight may take to finish at close before their connections are cut. */
const CLOSE_GRACE_MS = 10_000;

/**
 * Stops accepting, ends idle keep-alive connections, and waits for requests
 * in flight, for at most CLOSE_GRACE_MS: a client that holds a connection
 * open must not keep the process from stopping.
 */
function stopServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
    server.close((error) => {
      clearTimeout(cut);
      if (error === undefined) resolve();
      else reject(error);
    });
    server.closeIdleConnections();
  });
}
