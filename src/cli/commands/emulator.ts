import { EXIT, type CliIO } from '../io.js';

export interface EmulatorFlags {
  port: number;
  seed?: string;
  rateLimit?: number;
  inviteRateLimit?: number;
}

/** Runs until interrupted (SIGINT) and then closes cleanly. */
export async function emulatorCommand(o: EmulatorFlags, io: CliIO): Promise<number> {
  // Loaded only for this command: plan and apply never carry the emulator (and its SCIM library) in memory.
  const { loadSeedFile, startEmulator } = await import('../../emulator/index.js');
  const seed = o.seed ? loadSeedFile(o.seed) : undefined;
  const rateLimit: { requestsPerMinute?: number; invitesPerHour?: number } = {};
  if (o.rateLimit !== undefined) rateLimit.requestsPerMinute = o.rateLimit;
  if (o.inviteRateLimit !== undefined) rateLimit.invitesPerHour = o.inviteRateLimit;
  const emu = await startEmulator({ port: o.port, ...(seed ? { seed } : {}), rateLimit });
  // What to export: the addresses, and the names of the credential variables. Never a key or token itself (they
  // are in the seed file, which the user has): the tool's output never holds a credential.
  const directory = emu.store.scim?.key;
  io.stdout.write(
    `Emulator of the Anthropic Admin API listening on ${emu.url}\n` +
      `  export ANTHROPIC_BASE_URL=${emu.url}\n` +
      `  export ANTHROPIC_ADMIN_KEY=…       # ${seed ? "a key of the seed's admin_keys" : 'the default key (README, "The emulator")'}\n` +
      (directory !== undefined
        ? `  export CLAUDE_SCIM_URL=${emu.url}/scim/v2.0/${directory}\n` +
          '  export CLAUDE_SCIM_TOKEN=…         # the seed\'s scim.token\n'
        : '') +
      '  (a file that names other variables under organization.credentials reads those instead)\n' +
      `  control endpoints: ${emu.url}/_emulator/state, /_emulator/clock/advance, /_emulator/faults, …\n` +
      'Press Ctrl-C to stop.\n',
  );
  await new Promise<void>((resolve) => {
    if (io.interrupt.aborted) resolve();
    io.interrupt.addEventListener('abort', () => resolve(), { once: true });
    process.once('SIGTERM', () => resolve());
  });
  await emu.close();
  return EXIT.ok;
}
