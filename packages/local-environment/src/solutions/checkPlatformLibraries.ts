/** A `<platform-library name version>` of a control manifest. */
export interface PlatformLibrary {
  readonly name: string;
  readonly version: string;
}

const parts = (version: string) => version.split('.').map(Number);
/** Orders two dotted version numbers: -1, 0 or 1. */
export const compareVersions = (left: string, right: string): number => {
  const [a, b] = [parts(left), parts(right)];
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
};

/**
 * The platform-library versions solution import accepts: React 16.14.0 only, Fluent 9.4.0 to 9.46.2 (Microsoft's
 * "React controls & platform libraries" page; a higher Fluent is refused: powerplatform-build-tools#1265).
 */
const ACCEPTED = {
  React: { lowest: '16.14.0', highest: '16.14.0' },
  Fluent: { lowest: '9.4.0', highest: '9.46.2' },
} as const;

/**
 * Why Dataverse refuses a manifest's platform libraries, in its words ("platform library fluent_9_68_0 with version
 * 9.68.0 is not supported by the platform.", powerplatform-build-tools#1265), or undefined when it accepts them.
 */
export function checkPlatformLibraries(libraries: readonly PlatformLibrary[]): string | undefined {
  for (const { name, version } of libraries) {
    const accepted = ACCEPTED[name as keyof typeof ACCEPTED] as { lowest: string; highest: string } | undefined;
    const valid = /^\d+\.\d+\.\d+$/.test(version);
    if (accepted === undefined || !valid || compareVersions(version, accepted.lowest) < 0 || compareVersions(version, accepted.highest) > 0) {
      const allowed = accepted === undefined ? 'React and Fluent are the platform libraries' : accepted.lowest === accepted.highest ? `${name} ${accepted.lowest} is accepted` : `${name} ${accepted.lowest} to ${accepted.highest} is accepted`;
      return `platform library ${name.toLowerCase()}_${version.replace(/\./g, '_')} with version ${version} is not supported by the platform. (${allowed}.)`;
    }
  }
  const names = libraries.map((library) => library.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  return duplicate === undefined ? undefined : `platform library ${duplicate} is declared twice.`;
}
