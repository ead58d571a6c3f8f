/** Command dispatch: argv in, exit code out. Every `CliError` becomes a message, a hint and exit 2 (or its own code). */
import { isContactkitError } from "../index.js";
import { deleteCommand } from "./commands/delete.js";
import { demoCommand } from "./commands/demo.js";
import { eraseCommand, eraseHelp } from "./commands/erase.js";
import { fakeServerCommand } from "./commands/fake-server.js";
import { CliError, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "./errors.js";
import { cliMessage } from "./format.js";
import { styleFor, type CliIO } from "./io.js";
import { deleteHelp, demoHelp, fakeServerHelp, mainHelp, shortUsage, version } from "./usage.js";

const commands: Record<string, { run(argv: readonly string[], io: CliIO): Promise<number>; help(): string }> = {
  delete: { run: deleteCommand, help: deleteHelp },
  erase: { run: eraseCommand, help: eraseHelp },
  demo: { run: demoCommand, help: demoHelp },
  "fake-server": { run: fakeServerCommand, help: fakeServerHelp },
};

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined) {
      io.stderr.write(`${shortUsage()}\n`);
      return EXIT_USAGE;
    }
    if (first === "--help" || first === "-h") {
      io.stdout.write(`${mainHelp()}\n`);
      return EXIT_OK;
    }
    const options = argv.slice(0, argv.includes("--") ? argv.indexOf("--") : argv.length);
    if (first === "--version" || (Object.hasOwn(commands, first) && options.includes("--version"))) {
      io.stdout.write(`${version()}\n`);
      return EXIT_OK;
    }
    if (first === "help") {
      const topic = rest[0];
      if (topic !== undefined && !Object.hasOwn(commands, topic)) throw unknownCommand(topic);
      io.stdout.write(`${topic === undefined ? mainHelp() : commands[topic]!.help()}\n`);
      return EXIT_OK;
    }
    const command = Object.hasOwn(commands, first) ? commands[first] : undefined;
    if (command === undefined) throw unknownCommand(first);
    return await command.run(rest, io);
  } catch (error) {
    const style = styleFor(io.stderr, io.env);
    if (error instanceof CliError) {
      io.stderr.write(`${style.red("contactkit:")} ${error.message}\n`);
      if (error.hint) io.stderr.write(`${style.dim(`hint: ${error.hint}`)}\n`);
      return error.exitCode;
    }
    if (isContactkitError(error)) {
      // Library errors carry scrubbed messages; a `config` one is the user's to fix.
      io.stderr.write(`${style.red("contactkit:")} ${cliMessage(error)}\n`);
      return error.code === "config" || error.code === "invalid_input" ? EXIT_USAGE : EXIT_FAILED;
    }
    // A bug: say so briefly (no stack with request internals), and fail.
    io.stderr.write(`${style.red("contactkit: unexpected error:")} ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILED;
  }
}

function unknownCommand(name: string): CliError {
  const looksLikeFlag = name.startsWith("-");
  return new CliError(`unknown ${looksLikeFlag ? "option" : "command"} ${JSON.stringify(name)}`, {
    hint: `commands: ${Object.keys(commands).join(", ")}, help. Run \`contactkit --help\`.`,
  });
}
