// Entry point of the bundled agent (see scripts/bundle-agent.mjs).
import { main } from './main';

main();
