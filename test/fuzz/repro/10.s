* BUG-1 check-stop code
* outcome: bare ended/check-stop/0 (check-stop: an interruption's new PSW is invalid) / vm ended/check-stop/6 (the guest's new PSW for this interruption is invalid (80000000 000002D0))
        .org  0x58
        .word 0x00000000             ; 000058: 00000000
        .word 0x00000000             ; 00005C: 00000000
        .word 0x00000000             ; 000060: 00000000
        .word 0x00000000             ; 000064: 00000000
        .word 0x00000000             ; 000068: 00000000
        NOPR R0                      ; 00006C: 07000000
