import { startEngine } from "./test-engine";

/** Starts the container engine the Docker-host specs use, before any spec runs. */
export default async function globalSetup(): Promise<void> {
  await startEngine();
}
