import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { SqlExecutor } from "../../ports/sql.js";

export const ROLES = ["viewer", "runner", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Whether a key of role `held` may do what needs `needed`: admin ⊃ runner ⊃ viewer. */
export function roleAllows(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

export interface ApiKeyInfo {
  key_id: string;
  name: string;
  role: Role;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const KEY_FORMAT = /^td_([a-f0-9]{12})_([A-Za-z0-9_-]{43})$/;
const hash = (secret: string) => createHash("sha256").update(secret).digest();

/** API keys as `td_<id>_<secret>`: the id finds the row, the secret is compared by its hash. */
export class ApiKeys {
  constructor(private readonly db: SqlExecutor) {}

  /** Creates a key; the returned key is shown once and never stored. */
  async create(name: string, role: Role): Promise<{ key: string; info: ApiKeyInfo }> {
    if (!ROLES.includes(role)) throw new Error(`role must be one of ${ROLES.join(", ")}; got ${role}`);
    const keyId = randomBytes(6).toString("hex");
    const secret = randomBytes(32).toString("base64url");
    const { rows } = await this.db.query<ApiKeyInfo>(
      `INSERT INTO td_api_keys (key_id, name, role, secret_hash) VALUES ($1, $2, $3, $4)
       RETURNING key_id, name, role, created_at, last_used_at, revoked_at`,
      [keyId, name, role, hash(secret).toString("hex")],
    );
    return { key: `td_${keyId}_${secret}`, info: rows[0]! };
  }

  async list(): Promise<ApiKeyInfo[]> {
    const { rows } = await this.db.query<ApiKeyInfo>(
      "SELECT key_id, name, role, created_at, last_used_at, revoked_at FROM td_api_keys ORDER BY created_at",
    );
    return rows;
  }

  async revoke(keyId: string): Promise<boolean> {
    const { rows } = await this.db.query(
      "UPDATE td_api_keys SET revoked_at = now() WHERE key_id = $1 AND revoked_at IS NULL RETURNING key_id",
      [keyId],
    );
    return rows.length > 0;
  }

  /** Keys that can still be used: with none, the server serves loopback only. */
  async activeCount(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM td_api_keys WHERE revoked_at IS NULL",
    );
    return Number(rows[0]!.n);
  }

  /** The key's id, name and role, or undefined for a malformed, unknown, wrong or revoked key. */
  async verify(key: string): Promise<{ key_id: string; name: string; role: Role } | undefined> {
    const match = KEY_FORMAT.exec(key);
    if (!match) return undefined;
    const { rows } = await this.db.query<{ name: string; role: Role; secret_hash: string }>(
      "SELECT name, role, secret_hash FROM td_api_keys WHERE key_id = $1 AND revoked_at IS NULL",
      [match[1]],
    );
    const row = rows[0];
    if (!row) return undefined;
    const stored = Buffer.from(row.secret_hash, "hex");
    if (!timingSafeEqual(stored, hash(match[2]!))) return undefined;
    // Best effort: a failed bookkeeping write must not refuse a valid key.
    await this.db
      .query(
        "UPDATE td_api_keys SET last_used_at = now() WHERE key_id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')",
        [match[1]],
      )
      .catch(() => {});
    return { key_id: match[1]!, name: row.name, role: row.role };
  }
}
