#!/usr/bin/env node
// The README's main-job command. The local environment (Dataverse emulator, upload API, identity provider) is the
// next piece of work; until it lands this prints what exists and how to try it.
console.log(`NavMap: Dataverse navigation properties for PCF controls, resolved from metadata.

What runs today:
  @sdap/navmap-sdk   the NavMap v1 contract and resolveNavMap() (the server adapter)

Try the server adapter against a Dataverse double with 50 ms latency:
  npm run bench -w @sdap/navmap-sdk

The local environment that this command will start (a Dataverse Web API emulator, the BFF upload API,
an identity provider, and a model-driven form host) is not built yet; see README.md, "Status".`);
