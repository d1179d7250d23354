"""The coach's rules as pure functions: plain values in, plain values out; no SQL, no Textual."""
