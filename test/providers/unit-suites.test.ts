/** The shared nock suite, for every provider in the registry (its invalid ids from its .wire.ts). */
import { providerNames } from "../../src/index.js";
import { providerUnitSuite, useNock } from "../helpers/provider-unit-suite.js";
import { wires } from "../helpers/wire.js";

useNock();
for (const provider of providerNames) providerUnitSuite(provider, wires[provider].invalidIds);
