* cms-lib.s - console output, text and number formatting, the tokenizer. Included by cms.s.
* Registers not named are left alone.

* TYPELINE: write R2 bytes at R1 as one console line (DIAGNOSE X'10', the paravirtual path).
typeline:
        DIAG  R1,R2,DIAG_CONSOLE_WRITE
        BR    R14

* OUTLINE: write OUTBUF up to R1 as one console line. Uses R1, R2.
outline:
        LA    R2,OUTBUF
        SR    R1,R2
        LR    R2,R1
        LA    R1,OUTBUF
        J     typeline

        .include "fmt.inc"          ; PUTSTR, PUTDEC, PUTHEX

* PUTNAME: copy the 8-character blank-padded name at R2 to R1, without its trailing blanks.
* Out: R1 advanced. Uses R0, R2, R3.
putname:
        LHI   R3,8
pn1:    LLC   R0,0(R2)
        CHI   R0,' '
        BER   R14
        STC   R0,0(R1)
        LA    R1,1(R1)
        LA    R2,1(R2)
        BRCT  R3,pn1
        BR    R14

* PUTPAD: like PUTDEC, right-aligned in a field of R7 characters. Uses R2-R6, R8.
putpad: LR    R8,R14
        LR    R6,R1                 ; where the field starts
        LR    R3,R0                 ; blanks for the width less the digits
        LHI   R5,10
        LR    R4,R7
pp1:    XR    R2,R2
        DR    R2,R5
        AHI   R4,-1
        LTR   R3,R3
        JNZ   pp1
        LTR   R4,R4
        JNP   pp3
        LHI   R2,' '
pp2:    STC   R2,0(R1)
        LA    R1,1(R1)
        BRCT  R4,pp2
pp3:    LR    R14,R8
        J     putdec

* TOKENIZE: split the R2 bytes at R1 into blank-separated tokens, upper case, each truncated
* or blank-padded to 8 characters, in `plist` (at most 8); `ntok` = their number, `tokoff` =
* the offset of each in the line. Uses R0, R3-R8.
tokenize:
        LA    R3,plist              ; blank the PLIST
        LHI   R4,16
        L     R0,=C'    '
tk0:    ST    R0,0(R3)
        LA    R3,4(R3)
        BRCT  R4,tk0
        XR    R4,R4                 ; R4 = offset in the line
        XR    R5,R5                 ; R5 = tokens so far
tk1:    CR    R4,R2                 ; skip blanks
        JNL   tkend
        LR    R3,R1
        AR    R3,R4
        LLC   R0,0(R3)
        CHI   R0,' '
        JNE   tk2
        AHI   R4,1
        J     tk1
tk2:    CHI   R5,8                  ; a token starts at R4
        JNL   tkend
        LR    R6,R5
        SLL   R6,2
        ST    R4,tokoff(R6)
        SLL   R6,1
        LA    R6,plist(R6)          ; R6 -> its 8 bytes
        LHI   R7,8                  ; room left
tk3:    CR    R4,R2
        JNL   tk5
        LR    R3,R1
        AR    R3,R4
        LLC   R0,0(R3)
        CHI   R0,' '
        JE    tk5
        LTR   R7,R7
        JZ    tk4                   ; beyond 8 characters: dropped
        CHI   R0,'a'
        JL    tk3a
        CHI   R0,'z'
        JH    tk3a
        AHI   R0,'A'-'a'
tk3a:   STC   R0,0(R6)
        LA    R6,1(R6)
        AHI   R7,-1
tk4:    AHI   R4,1
        J     tk3
tk5:    AHI   R5,1
        J     tk1
tkend:  ST    R5,ntok
        BR    R14
