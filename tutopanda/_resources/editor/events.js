// The lecture's Server-Sent Events, read with fetch + a ReadableStream: EventSource cannot send
// an Authorization header. Reconnects with Last-Event-ID, so no event is missed or repeated.

const RECONNECT_MS = 1000;

function parseBlock(lines) {
  let type = 'message';
  let id = null;
  const data = [];
  for (const line of lines) {
    if (line.startsWith(':')) continue; // a comment (heartbeat)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  }
  return { type, id, data: data.length ? data.join('\n') : null };
}

/**
 * Follow a lecture's events until `stop()`. `lastEventId` '0.0' replays everything from the
 * lecture's creation (a generation run that finished before the page connected included).
 * onEvent({type, id, data}) gets parsed JSON data; onState('open' | 'reconnecting' | 'closed').
 */
export function followEvents(api, lectureId, { lastEventId = null, onEvent, onState }) {
  // `api.openEvents(id, lastEventId, signal)`: the raw response (a test may stand in for it).
  const open = api.openEvents
    ?? ((id, last, signal) => {
      const headers = { Accept: 'text/event-stream' };
      if (last) headers['Last-Event-ID'] = last;
      return api.transport.authorized(api.transport.url(`/lectures/${id}/events`), { method: 'GET', headers }, signal);
    });
  let stopped = false;
  let controller = null;
  let last = lastEventId;

  async function readOnce() {
    controller = new AbortController();
    const response = await open(lectureId, last, controller.signal);
    if (response.status === 401 || response.status === 404) return false;
    if (!response.ok || !response.body) throw new Error(`event stream: HTTP ${response.status}`);
    onState?.('open');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let block = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return true;
      buffer += value;
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        if (line !== '') {
          block.push(line);
          continue;
        }
        const event = parseBlock(block);
        block = [];
        if (event.id !== null) last = event.id;
        if (event.data === null) continue;
        let data;
        try {
          data = JSON.parse(event.data);
        } catch {
          continue;
        }
        onEvent({ type: event.type, id: event.id, data });
        if (event.type === 'disconnect') controller.abort(); // too far behind: reconnect
      }
    }
  }

  (async () => {
    while (!stopped) {
      try {
        if (!(await readOnce())) {
          onState?.('closed');
          return;
        }
      } catch {
        // network drop, abort or server restart: reconnect below
      }
      if (stopped) return;
      onState?.('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  })();

  return {
    stop() {
      stopped = true;
      controller?.abort();
    },
    get lastEventId() {
      return last;
    },
  };
}
