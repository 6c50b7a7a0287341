"""The console's own rules: German words, field errors from problem documents, the 2-week
period, what each role is offered. No Flask, no HTTP."""
