import type { Request, Response } from 'express';
import type { ActiveFault } from './FaultInjector.js';

/** How a service renders the faults that produce an HTTP answer. */
export interface FaultRenderer {
  status(response: Response, status: number): void;
  throttle(response: Response, retryAfterSeconds: number): void;
  malformed(response: Response, body: 'not-json' | 'wrong-shape'): void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Applies a fault to a request. Returns true when the fault answered (or dropped) the request; false when the
 * request should go on (latency).
 */
export async function applyFault(fault: ActiveFault, request: Request, response: Response, renderer: FaultRenderer): Promise<boolean> {
  switch (fault.kind) {
    case 'outage':
      // No HTTP answer at all: the client sees a reset connection, as when a service is unreachable.
      request.socket.destroy();
      return true;
    case 'latency':
      await sleep(fault.latencyMs ?? 1000);
      return request.socket.destroyed;
    case 'status':
      renderer.status(response, fault.status ?? 503);
      return true;
    case 'throttle':
      renderer.throttle(response, fault.retryAfterSeconds ?? 2);
      return true;
    case 'malformed':
      renderer.malformed(response, fault.body ?? 'not-json');
      return true;
  }
}
