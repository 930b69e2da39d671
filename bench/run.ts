/** `npm run bench`: runs the benchmarks and prints their tables (figures are ratios to a baseline measured in the same run). */
import { benchFit } from "./fit.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.filter((a) => !a.startsWith("--"));
if (only.length === 0 || only.includes("fit")) benchFit(quick);
