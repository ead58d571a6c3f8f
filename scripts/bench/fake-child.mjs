// Runs contactkit's fake providers in their own process, so the server's CPU time is not charged
// to the client being measured. Started with `fork()` by ./lib.mjs (`startFakeChild`).
//
// argv[2]: JSON options for `startFakeProviders`.
// IPC out: { type: "ready", url, configs }            once listening
//          { type: "stats", stats }                   in reply to { type: "stats" }
// IPC in:  { type: "stats" } / { type: "reset-stats" } / { type: "close" }
// The child also exits when the parent goes away (IPC disconnect), so it can never outlive a run.
import { startFakeProviders } from "contactkit/testing";

const options = JSON.parse(process.argv[2] ?? "{}");
const fake = await startFakeProviders(options);

// Server-side truth, cheap enough for benchmark loads: answers by status, and per wall-clock
// second (aligned to the fake's own one-second windows is not possible from outside, so these are
// calendar seconds) the number of answered requests and of 429s.
let stats;
const resetStats = () => {
  stats = { requests: 0, dropped: 0, byStatus: {}, perSecond: {} };
};
resetStats();
fake.server.on("request", (_req, res) => {
  res.once("close", () => {
    stats.requests += 1;
    if (!res.headersSent) {
      stats.dropped += 1;
      return;
    }
    const status = res.statusCode;
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    const second = Math.floor(Date.now() / 1000);
    const bucket = (stats.perSecond[second] ??= [0, 0]);
    bucket[0] += 1;
    if (status === 429) bucket[1] += 1;
  });
});

let closing = false;
const shutdown = async () => {
  if (closing) return;
  closing = true;
  await fake.close();
  // When the parent went away the channel is already closed, and disconnecting it again throws.
  if (process.connected) process.disconnect();
  process.exit(0);
};

process.on("message", (message) => {
  if (message?.type === "stats") process.send({ type: "stats", stats });
  else if (message?.type === "reset-stats") resetStats();
  else if (message?.type === "close") void shutdown();
});
process.on("disconnect", () => void shutdown());
process.on("SIGTERM", () => void shutdown());

const configs = Object.fromEntries(["userapi", "truto", "wethod", "close", "featurebase"].map((name) => [name, fake.clientConfig(name)]));
process.send({ type: "ready", url: fake.url, configs });
