// A simulator in its own process for the pacing benchmark, so that its work is not the client's.
// Options arrive as JSON in argv[2]; the URL goes back over IPC; "close" stops it.
import { startSimulator } from "@leadbridge/simulators";

const sim = await startSimulator(JSON.parse(process.argv[2]));
process.send({ url: sim.url });
process.on("message", (m) => m === "close" && sim.close().then(() => process.exit(0)));
