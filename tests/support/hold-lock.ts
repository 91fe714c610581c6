// Holds a directory lock in a separate process until killed, for the lock tests.
import { DirectoryLock } from "../../src/adapters/eventstore/dir-lock.js";

DirectoryLock.acquire(process.argv[2]!);
process.stdout.write("locked\n");
setInterval(() => {}, 60_000);
