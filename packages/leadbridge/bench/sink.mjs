// A fast sink in its own process (so its CPU is not the client's): answers every POST like
// Amplemarket's add-to-list, 202 { total, total_added_to_lead_list }, counting the leads it got.
import { createServer } from "node:http";

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    // Count leads without parsing: every lead object here starts with {"email".
    const n = body.split('{"email"').length - 1;
    const payload = JSON.stringify({ total: n, total_added_to_lead_list: n });
    res.writeHead(202, { "content-type": "application/json", "content-length": Buffer.byteLength(payload) });
    res.end(payload);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
process.on("message", (m) => m === "close" && server.close(() => process.exit(0)));
