/**
 * An invalid configuration or combination, refused before anything runs, as Kafka refuses it.
 * The message names the key, the value given and what is allowed.
 */
export class ConfigurationError extends Error {
  readonly key: string;
  readonly value: unknown;
  readonly allowed: string;
  /** Where the key sits: `broker`, `topics.orders.config`, `clients.producer-0.config`, `cluster`. */
  readonly where: string;

  constructor(where: string, key: string, value: unknown, allowed: string, why?: string) {
    const shown = value === undefined ? "(unset)" : JSON.stringify(value);
    super(`${where}: ${key}=${shown} is not allowed${why === undefined ? "" : ` (${why})`}; allowed: ${allowed}`);
    this.name = "ConfigurationError";
    this.where = where;
    this.key = key;
    this.value = value;
    this.allowed = allowed;
  }
}
