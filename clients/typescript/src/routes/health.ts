// Liveness and readiness: /health and /ready.

import { call } from "../call.js";

export function health() {
  return call("get", "/health", { path: {}, read: (response) => isOk(response) });
}

export function ready() {
  return call("get", "/ready", { path: {}, ok: [200, 503], read: (response) => isOk(response) });
}

async function isOk(response: Response): Promise<boolean> {
  await response.body?.cancel();
  return response.status === 200;
}
