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
  io.stdout.write(
    `Emulator of the Anthropic Admin API listening on ${emu.url}\n` +
      `  export ANTHROPIC_BASE_URL=${emu.url}\n` +
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
