/** The one thing a planner needs from a language model: an answer to a prompt, in a JSON shape. */
export interface StructuredChatModel {
  readonly name: string;
  complete(request: {
    system: string;
    messages: { role: "user" | "assistant"; content: string }[];
    schemaName: string;
    jsonSchema: Record<string, unknown>;
  }): Promise<string>;
}
