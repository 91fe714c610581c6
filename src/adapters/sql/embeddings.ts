import type { SqlClient, SqlExecutor } from "../../ports/sql.js";

export const EMBEDDING_DIMENSIONS = 512;

/** How a table keeps embeddings: pgvector's vector where the extension is installed, real[] otherwise. */
export type VectorColumn = "vector" | "real[]";

/** The kind of an embedding column as migrated; undefined when the column does not exist. */
export async function vectorColumnOf(
  db: SqlExecutor,
  table: string,
  column: string,
): Promise<VectorColumn | undefined> {
  const { rows } = await db.query<{ udt: string }>(
    `SELECT udt_name AS udt FROM information_schema.columns
      WHERE table_name = $1 AND column_name = $2 AND table_schema = ANY (current_schemas(false))`,
    [table, column],
  );
  if (!rows[0]) return undefined;
  return rows[0].udt === "vector" ? "vector" : "real[]";
}

/** Whether values can be stored as an embedding: the dimensions the tables hold, all finite. */
export const isEmbedding = (values: readonly number[]) =>
  values.length === EMBEDDING_DIMENSIONS && values.every(Number.isFinite);

/** The SQL literal of an embedding for a column of that kind. */
export const vectorLiteral = (values: readonly number[], kind: VectorColumn) =>
  kind === "vector" ? `[${values.join(",")}]` : `{${values.join(",")}}`;

export interface EmbeddingMatch {
  ref: string;
  similarity: number;
}

/**
 * Stores image embeddings and finds the nearest ones by cosine similarity: with pgvector through its HNSW
 * index, without it through td_cosine_similarity over real[] (exact, a scan of the kind and model).
 */
export class EmbeddingIndex {
  private constructor(
    private readonly db: SqlClient,
    readonly usesPgvector: boolean,
  ) {}

  static async open(db: SqlClient): Promise<EmbeddingIndex> {
    const kind = await vectorColumnOf(db, "td_embeddings", "embedding");
    if (!kind) throw new Error("td_embeddings is missing: run `testdriver migrate`");
    return new EmbeddingIndex(db, kind === "vector");
  }

  private literal(embedding: readonly number[]): string {
    if (embedding.length !== EMBEDDING_DIMENSIONS) {
      throw new RangeError(`embedding must have ${EMBEDDING_DIMENSIONS} dimensions, got ${embedding.length}`);
    }
    if (!embedding.every(Number.isFinite)) throw new RangeError("embedding values must be finite numbers");
    return vectorLiteral(embedding, this.usesPgvector ? "vector" : "real[]");
  }

  async upsert(kind: string, ref: string, model: string, embedding: readonly number[]): Promise<void> {
    const cast = this.usesPgvector ? "vector" : "real[]";
    await this.db.query(
      `INSERT INTO td_embeddings (kind, ref, model, embedding) VALUES ($1, $2, $3, $4::${cast})
       ON CONFLICT (kind, ref, model) DO UPDATE SET embedding = EXCLUDED.embedding, created_at = now()`,
      [kind, ref, model, this.literal(embedding)],
    );
  }

  async nearest(
    kind: string,
    model: string,
    embedding: readonly number[],
    limit = 5,
  ): Promise<EmbeddingMatch[]> {
    const query = this.usesPgvector
      ? `SELECT ref, 1 - (embedding <=> $3::vector) AS similarity FROM td_embeddings
          WHERE kind = $1 AND model = $2 ORDER BY embedding <=> $3::vector LIMIT $4`
      : `SELECT ref, td_cosine_similarity(embedding, $3::real[]) AS similarity FROM td_embeddings
          WHERE kind = $1 AND model = $2 ORDER BY similarity DESC LIMIT $4`;
    const { rows } = await this.db.query<{ ref: string; similarity: number }>(query, [
      kind,
      model,
      this.literal(embedding),
      limit,
    ]);
    return rows.map((r) => ({ ref: r.ref, similarity: Number(r.similarity) }));
  }
}
