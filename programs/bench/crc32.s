* crc32.s - benchmark workload: CRC-32 (IEEE 802.3, reflected polynomial X'EDB88320'),
* table-driven: each pass builds the 256-entry table bit by bit, checks it on "123456789"
* (the standard check value X'CBF43926'), then takes the CRC of a 4 KiB buffer. Repeated `reps`
* times. Self-checking (EXIT 4 on a wrong CRC); the buffer's CRC is left in `result`.
* bench/js/crc32.ts is the same computation in plain JavaScript.
        .include "tinycp.inc"
        .org  0
        .psw  0, start
        .org  0x200
LEN = 4096
start:  LARL  R4,buffer             ; buffer[i] = i*7 + 3
        LHI   R3,0
        LHI   R8,LEN
init:   LR    R7,R3
        MHI   R7,7
        AHI   R7,3
        STC   R7,0(R4)
        LA    R4,1(R4)
        AHI   R3,1
        BRCT  R8,init
        L     R2,reps
rep:    LARL  R6,table              ; build the table: t[n] = n shifted 8 times through the polynomial
        LHI   R3,0
tb:     LR    R5,R3
        LHI   R8,8
bit:    LR    R7,R5
        SRL   R5,1
        SLL   R7,31
        LTR   R7,R7                 ; low bit of c was set?
        JZ    nox
        X     R5,=0xEDB88320
nox:    BRCT  R8,bit
        ST    R5,0(R6)
        LA    R6,4(R6)
        AHI   R3,1
        CHI   R3,256
        JL    tb
        LARL  R4,check              ; CRC of "123456789"
        LHI   R8,9
        BRAS  R14,crc
        C     R5,=0xCBF43926
        JNE   bad
        LARL  R4,buffer
        LHI   R8,LEN
        BRAS  R14,crc
        C     R5,expect
        JNE   bad
        BRCT  R2,rep
        ST    R5,result
        EXIT
bad:    ST    R5,result
        EXIT  4
* crc: R5 = CRC-32 of R8 bytes at R4. Uses R7. Returns with BR R14.
crc:    L     R5,=-1
byte:   LLC   R7,0(R4)
        XR    R7,R5
        SLL   R7,24                 ; (c ^ byte) & 255, times 4
        SRL   R7,22
        L     R7,table(R7)
        SRL   R5,8
        XR    R5,R7
        LA    R4,1(R4)
        BRCT  R8,byte
        X     R5,=-1
        BR    R14
        .ltorg
        .align 4
reps:   .word 40
expect: .word 0x5E4E1995
result: .word 0
table:  .space 1024
check:  .ascii "123456789"
        .align 4
buffer: .space LEN
