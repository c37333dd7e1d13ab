/** calls.s in plain JavaScript: the recursive Fibonacci function, fib(20), `reps` times. */
function fib(n: number): number { return n < 2 ? n : (fib(n - 1) + fib(n - 2)) | 0; }

export function calls(reps: number): number {
  let v = 0;
  for (let r = 0; r < reps; r++) v = fib(20);
  return v;
}
