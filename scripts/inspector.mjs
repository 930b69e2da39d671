// Attaches to workerd's V8 inspector through wrangler's inspector port (the Chrome DevTools
// protocol), for the CPU profile (`npm run profile`) and the memory benchmark. Answers
// { send(method, params) → result, close() }.

/** Connects to the first inspector target wrangler lists on `port`. */
export async function attachInspector(port) {
  const [target] = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
  // wrangler's inspector proxy admits local origins only.
  const ws = new WebSocket(target.webSocketDebuggerUrl, { headers: { Origin: "http://127.0.0.1" } });
  await new Promise((resolve, reject) => {
    ws.addEventListener("open", resolve);
    ws.addEventListener("error", () => reject(new Error("could not attach to the inspector")));
  });
  // Ids below wrangler's own (it numbers its messages from 100000001).
  let id = 0;
  const pending = new Map();
  ws.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    pending.get(message.id)?.(message.result);
    pending.delete(message.id);
  });
  return {
    send: (method, params = {}) => new Promise((resolve) => (pending.set(++id, resolve), ws.send(JSON.stringify({ id, method, params })))),
    close: () => ws.close(),
  };
}
