* ssm.s - a loop of SET SYSTEM MASK in supervisor state: under CP every SSM traps and is
* emulated, so the loop measures one CP entry + emulation + resume (the benchmark's trap_ns).
* The iteration count is the word at `count`.
        .include "tinycp.inc"
        .org  0
        .psw  0, start
        .org  0x200
start:  L     R2,count
loop:   SSM   mask
        BRCT  R2,loop
        EXIT
mask:   .byte 0
        .align 4
count:  .word 100000
