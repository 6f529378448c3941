// The type of undici's Agent module, imported on its own by send.ts (see there why). The class is the one the
// package's index re-exports, so its type is taken from there.
declare module 'undici/lib/dispatcher/agent.js' {
  import type { Agent } from 'undici';
  const AgentClass: typeof Agent;
  export default AgentClass;
}
