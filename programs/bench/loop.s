* loop.s - an innocuous loop for benchmarks: two instructions per iteration, no storage
* references, nothing privileged. The iteration count is the word at `count`, which the
* benchmark patches through the symbol table.
        .include "tinycp.inc"
        .org  0
        .psw  0, start
        .org  0x200
start:  LHI   R1,1
        L     R2,count
loop:   AR    R3,R1
        BRCT  R2,loop
        EXIT
        .align 4
count:  .word 10000000
