/** `npm run bench`: runs the benchmarks and prints their tables (figures are ratios to a baseline measured in the same run). */
import { benchFit } from "./fit.js";
import { benchHttp } from "./http.js";
import { benchMemory } from "./memory.js";
import { benchRoom } from "./room.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const value = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const only = args.filter((a, i) => !a.startsWith("--") && !["--players", "--duels", "--seconds", "--outbox-delay"].includes(args[i - 1] ?? ""));
if (only.length === 0 || only.includes("fit")) benchFit(quick);
if (only.length === 0 || only.includes("room")) await benchRoom(value("--players", quick ? 50 : 200), value("--duels", quick ? 2 : 5));
if (only.length === 0 || only.includes("memory")) await benchMemory();
if (only.length === 0 || only.includes("http")) await benchHttp(value("--seconds", quick ? 2 : 5), value("--outbox-delay", 300_000));
