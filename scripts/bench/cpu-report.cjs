// Preloaded (`node --require`) into the processes section e times: at exit, writes this process's
// CPU time (process.cpuUsage, µs) as JSON to fd 3, which the bench opened as a pipe. CPU time per
// id stays meaningful when neighbours load the machine and wall-clock throughput does not.
const { writeSync } = require("node:fs");

process.on("exit", () => {
  try {
    writeSync(3, JSON.stringify(process.cpuUsage()));
  } catch {
    // fd 3 is not open: started without the bench, nothing to report.
  }
});
