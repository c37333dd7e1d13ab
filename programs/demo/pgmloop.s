* pgmloop.s - a crashing guest: its program new PSW points at an invalid operation, so every
* program interruption causes another one. CP detects the interruption loop and stops this VM
* alone (VM/370 would show "CP ENTERED; PROGRAM CHECK LOOP").
        .include "tinycp.inc"
        .org  0
        .psw  0, start
        .org  LC_PROGRAM_NEW
        .psw  0, bad                ; the handler is itself an invalid operation
        .org  0x200
start:  SAY   msg,msglen
bad:    .word 0                     ; operation code 0: an operation exception
        .align 4
msg:    .ascii "ABOUT TO CRASH"
msglen = * - msg
