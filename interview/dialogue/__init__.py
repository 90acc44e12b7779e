"""One turn of the conversation: the engine's operations, the next move, prompt assembly, the context window."""
