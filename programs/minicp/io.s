* io.s - START I/O, TEST I/O, HALT I/O by CCW translation; I/O interruptions held until due.
*
* The channel uses real addresses (PoO 8), and the guest's channel programs hold guest-real
* ones. So, as VM/370 did, minicp copies each channel program into a slot of its own storage
* with every data address relocated (CCW translation), starts the copy, and maps the CSW's
* CCW address back when the status comes (PoO 8.6). A data area outside the guest's storage
* is given an address outside real storage, so the real channel reports the program check.
*
* Time. The bare machine makes an operation's interruption pending at its SIO time plus the
* device's latency (PoO 8.9). The real interruption comes earlier in the guest's time (the real
* machine also counted minicp's instructions), so minicp holds it in the slot and presents it
* when the guest's time reaches the due time: for that it computes the latency as PoO 8.9's
* table gives it. Slot states: 0 idle, 1 started (real interruption not in yet), 2 held.

* slotof: R6 = the slot of device R11. A slot busy with another device (the same address
* modulo 16, which the standard configuration never has, PoO 9.1) makes the device not
* operational: CC 3. Link R14.
slotof: LR    R6,R11
        N     R6,=NSLOTS-1
        SLL   R6,6
        LA    R6,slots(R6)
        L     R0,SL_STATE(R6)
        LTR   R0,R0
        BZR   R14
        C     R11,SL_DEV(R6)
        BER   R14
        J     io_cc3

em_sio: BRAS  R14,eas
        LR    R11,R7
        N     R11,=0xFFFF             ; the device address (PoO 8.8)
        BRAS  R14,slotof
        L     R0,SL_STATE(R6)
        LTR   R0,R0
        JNZ   io_cc2                  ; busy, or an interruption pending: CC 2 (PoO 8.8.1)
* Translate the channel program the guest's CAW points at into this slot's copy.
        LR    R1,R11
        N     R1,=NSLOTS-1
        LR    R7,R1
        SLL   R7,8
        AL    R7,=SLOTCOPY            ; R7: next copied CCW
        LR    R8,R1
        SLL   R8,7
        AL    R8,=SLOTGADR            ; R8: the guest address each copied CCW came from
        L     R2,=GUEST_BASE
        L     R5,LC_CAW(R2)           ; the guest's CAW (PoO 8.2)
        LR    R0,R5
        N     R0,=0xFF000000          ; key and must-be-zero bits: the real channel checks them
        OR    R0,R7
        ST    R0,LC_CAW
        N     R5,=0xFFFFFF            ; R5: the guest CCW being translated
        LHI   R9,0                    ; R9: the latency, summed
        ST    R9,rdccw
        ST    R9,aftic
        ST    R9,latstop
        LHI   R4,MAXCCW
        LHI   R3,0                    ; R3: the previous CCW's flags
cx_next: ST   R5,0(R8)
        LR    R0,R5
        N     R0,=7
        JNZ   cx_bad                  ; a CCW must be on a doubleword, inside storage (PoO 8.3)
        LR    R0,R5
        AHI   R0,8
        C     R0,gsize
        JH    cx_bad
        LR    R1,R5
        GUEST R1
        LM    R0,R1,0(R1)             ; R0: command, data address; R1: flags, count
        LR    R2,R0
        SRL   R2,24
        N     R2,=15
        CHI   R2,CMD_TIC
        JNE   cx_ccw
        LR    R2,R0                   ; TIC: its target must be on a doubleword, and not be
        N     R2,=7                   ; reached by a TIC itself (PoO 8.3): else the check is
        JNZ   cx_bad                  ; at this CCW
        L     R2,aftic
        LTR   R2,R2
        JNZ   cx_bad
        LHI   R2,1
        ST    R2,aftic
        LR    R5,R0                   ; go on translating at its target; the copy needs no
        N     R5,=0xFFFFFF            ; TIC, it is one straight list
        BRCT  R4,cx_next
        J     cx_bad
cx_ccw: LHI   R2,0
        ST    R2,aftic
        LR    R2,R0
        N     R2,=0xFFFFFF            ; data address
        LR    R10,R1
        N     R10,=0xFFFF
        AR    R10,R2                  ; end of the data area
        C     R10,gsize
        JH    cx_out
        GUEST R2
        J     cx_put
cx_out: LI    R2,0xFFFFF8             ; outside the guest: outside real storage too
cx_put: LR    R10,R0
        N     R10,=0xFF000000
        OR    R10,R2
        ST    R10,0(R7)
        ST    R1,4(R7)
        BRAS  R14,latency
        LR    R3,R1
        SRL   R3,24                   ; this CCW's flags
        AHI   R7,8
        AHI   R8,4
        LR    R0,R3
        N     R0,=CCW_CD|CCW_CC
        JZ    cx_go                   ; the end of the chain
        AHI   R5,8
        BRCT  R4,cx_next
cx_bad: BRAS  R2,lat_undo
        LI    R0,(CMD_TIC<<24)|9      ; a TIC to an odd address: the real channel reports the
        LHI   R1,0                    ; program check at this CCW (PoO 8.3)
        STM   R0,R1,0(R7)
cx_go:  STCK  siotod                  ; the real clock: the SIO runs one unit after this
        SIO   0(R11)
        JZ    sio_ok
        BRC   4,sio_cc1
        BRC   2,io_cc2
        J     io_cc3
sio_ok: LHI   R0,1
        ST    R0,SL_STATE(R6)
        L     R0,rdccw
        ST    R0,SL_RDCCW(R6)
        ST    R9,SL_LMOD(R6)
        L     R0,siotod+4
        A     R0,radj
        AHI   R0,1
        ST    R0,SL_RSIO(R6)
        ST    R11,SL_DEV(R6)
        LM    R2,R3,vnow              ; due = the SIO's time (vnow - 1) + latency
        LHI   R0,0
        LR    R1,R9
        AHI   R1,-1
        ADD64 R2,R3,R0,R1
        STM   R2,R3,SL_DUE(R6)
        J     io_cc0
sio_cc1: BRAS R14,cswx                ; the program failed at once: CSW stored (PoO 8.8.1)
        J     io_csw1

* latency: add to R9 the time PoO 8.9 gives the command in R0/R1 on device R11, as the devices
* of PoO 8.10 answer it; R3 = the previous CCW's flags (data chaining continues one command).
* Each command moves one record (PoO 9.1.1): a device that ends before the CCWs' counts are used
* up ends the chain, unless it ended in the command's last CCW and that CCW has SLI (the
* channel chains commands only from the CCW the device ended in, and only without incorrect
* length, PoO 8.4.3, 8.5); so does an input record longer than the counts, without SLI. A
* command that ends abnormally (command reject) ends the chain too (PoO 8.7). Nothing after the
* end counts. Uses R0, R2, R10. Link R14.
latency: L    R10,latstop
        LTR   R10,R10
        BNZR  R14                     ; the chain ended before this CCW
        LR    R2,R0
        SRL   R2,24                   ; command
        LR    R10,R1
        N     R10,=0xFFFF             ; count
        JZ    lat_pchk                ; a channel program check ends it at this CCW (PoO 8.3):
        LR    R0,R1                   ; count zero, unknown flags, an invalid command, data
        N     R0,=0x0F000000          ; outside storage
        JNZ   lat_pchk
        L     R0,0(R7)                ; the copied CCW: relocated outside storage?
        N     R0,=0xFFFFFF
        C     R0,=0xFFFFF8
        JE    lat_pchk
        LR    R0,R3
        N     R0,=CCW_CD
        JNZ   lat_data                ; data chaining: more of the same command
        LR    R0,R2
        N     R0,=15
        JZ    lat_stop
* A new command: its latency, and its record (the bytes the device takes or gives, PoO 9.1.1).
        ST    R9,latbase              ; the latency before it, and the READ before it (lat_undo)
        L     R0,rdccw
        ST    R0,latrd
        LHI   R0,0
        ST    R0,latcon               ; not (yet) a console line
        ST    R0,latinp               ; not (yet) an input record
        CHI   R2,CMD_CONTROL          ; every device: CONTROL moves nothing, SENSE one byte in
        JE    lat_ctl
        CHI   R2,CMD_SENSE
        JNE   lat_dev
        AHI   R9,10
        LHI   R0,1
        J     lat_in
lat_ctl: AHI  R9,10
        L     R0,=0x7FFFFFFF          ; no record: never incorrect length
        J     lat_rec
lat_dev: CHI  R11,0x009
        JNE   lat_ur
        CHI   R2,CMD_WRITE            ; console WRITE, READ: 100 + the line's bytes
        JE    lat_con
        CHI   R2,CMD_READ
        JNE   lat_rej
        AHI   R9,100
        ST    R7,rdccw                ; a READ: its bytes are the line's, known at the end (on_io);
        L     R0,=0x7FFFFFFF          ; a line of another length than the count ends the chain
        ST    R0,latrec
        J     lat_il
lat_con: AHI  R9,100
        ST    R14,latcon              ; (non-zero) a console line: its bytes count
        LHI   R0,132                  ; one line
        J     lat_rec
lat_ur: AHI   R9,200                  ; unit record: 200 a record
        LHI   R0,80                   ; reader: READ one card in
        CHI   R11,0x00C
        JNE   lat_pun
        CHI   R2,CMD_READ
        JE    lat_in
        J     lat_rej0
lat_pun: CHI  R11,0x00D               ; punch: WRITE one card out
        JE    lat_wr
        LHI   R0,132                  ; printer: WRITE one line out
        CHI   R11,0x00E
        JNE   lat_rej0
lat_wr: CHI   R2,CMD_WRITE
        JNE   lat_rej0
        J     lat_rec
lat_in: ST    R14,latinp              ; (non-zero) an input record
lat_rec: ST   R0,latrec
* This CCW's part of the command: its bytes, up to what is left of the record.
lat_data: L   R0,latrec
        CR    R10,R0
        JH    lat_short               ; the device ends inside this CCW
        SR    R0,R10
        ST    R0,latrec
        L     R0,latcon
        LTR   R0,R0
        JZ    lat_last
        AR    R9,R10                  ; a console line's bytes
lat_last: LR  R0,R1
        SRL   R0,24
        N     R0,=CCW_CD
        BNZR  R14                     ; more of this command follows
        L     R0,latinp               ; its last CCW: an input record longer than the counts?
        LTR   R0,R0
        BZR   R14
        L     R0,latrec
        LTR   R0,R0
        BZR   R14
        J     lat_il
lat_short: L  R2,latcon
        LTR   R2,R2
        JZ    lat_sh1
        AR    R9,R0                   ; the rest of the console line
lat_sh1: LHI  R0,0
        ST    R0,latrec
        LR    R0,R1
        SRL   R0,24
        N     R0,=CCW_CD
        JNZ   lat_stop                ; not its last CCW: no command chaining from here
lat_il: LR    R0,R1                   ; incorrect length: the chain ends unless SLI
        SRL   R0,24
        N     R0,=CCW_SLI
        BNZR  R14
lat_stop: LHI R0,1
        ST    R0,latstop
        BR    R14
lat_pchk: BRAS R2,lat_undo
        J     lat_stop
lat_rej0: AHI R9,-200                 ; not a command this device has
lat_rej: LHI  R0,1                    ; command reject: unit check, the chain ends (PoO 8.7)
        ST    R0,latstop
        AHI   R9,10
        BR    R14

* lat_undo: a program check at a CCW that a data chain reaches. The channel fetches a command's
* whole data chain before the device sees the command (PoO 8.4.1), so that command never ran:
* take back its latency (and its READ). Nothing if the chain had ended before. Uses R0; link R2.
lat_undo: L   R0,latstop
        LTR   R0,R0
        BNZR  R2
        LR    R0,R3
        N     R0,=CCW_CD
        BZR   R2
        L     R9,latbase
        L     R0,latrd
        ST    R0,rdccw
        BR    R2

* cswx: the real CSW at LC_CSW, with its CCW address mapped back to the guest's, into slot R6
* (device R11). Link R14.
cswx:   LM    R0,R1,LC_CSW
        LR    R2,R0
        N     R2,=0xFFFFFF
        JZ    cw_st                   ; address 0 (a bad CAW) stays 0
        LR    R3,R11
        N     R3,=NSLOTS-1
        LR    R10,R3
        SLL   R3,8
        AL    R3,=SLOTCOPY
        SR    R2,R3
        AHI   R2,-8                   ; byte offset of the CCW in the copy
        SRL   R2,1                    ; / 8 * 4: offset in the address list
        SLL   R10,7
        AL    R10,=SLOTGADR
        AR    R2,R10
        L     R2,0(R2)
        AHI   R2,8
        N     R0,=0xFF000000
        OR    R0,R2
cw_st:  STM   R0,R1,SL_CSW(R6)
        BR    R14

* on_io: a real I/O interruption (trap.s). Hold its status in the slot until it is due.
on_io:  L     R11,LC_IO_ADDR
        BRAS  R14,slotof
        L     R0,SL_STATE(R6)
        CHI   R0,1
        JNE   resume
* The real interruption came the moment it was due (PoO 5.2) unless minicp was busy then: it is
* then taken as minicp resumes the guest, and the time is ambiguous. Otherwise the latency is
* measured: the real clock now less the real clock at the SIO, and the due time follows.
        L     R1,ent_tod+4
        A     R1,radj                 ; the real clock at the interruption
        C     R1,resreal
        JE    on_io_m                 ; taken at the resume: keep the model's due time
        L     R0,SL_LMOD(R6)
        C     R0,=0x7FFFFFFF
        JE    on_io_m
        S     R1,SL_RSIO(R6)          ; the latency, measured
        SR    R1,R0                   ; less the model's
        LR    R0,R1
        SRA   R0,31                   ; sign-extended to 64 bits
        LM    R2,R3,SL_DUE(R6)
        ADD64 R2,R3,R0,R1
        STM   R2,R3,SL_DUE(R6)
        J     on_io_h
on_io_m: BRAS R14,rdlate
on_io_h: BRAS R14,cswx
        LHI   R0,2
        ST    R0,SL_STATE(R6)
        J     resume

* rdlate: a console READ takes 100 + the bytes of the line it read (PoO 8.9): the bytes of its
* CCWs up to the one the real CSW names, less the residual count. Add them to the due time.
* Slot R6; uses R0-R3. Link R14.
rdlate: L     R2,SL_RDCCW(R6)
        LTR   R2,R2
        BZR   R14
        L     R0,SL_LMOD(R6)
        C     R0,=0x7FFFFFFF
        BER   R14                     ; halted: due at the HALT I/O, whatever was read
        L     R3,LC_CSW
        N     R3,=0xFFFFFF
        AHI   R3,-8                   ; the current CCW of the copy
        LHI   R1,0
rdl1:   CR    R2,R3
        JH    rdl2
        L     R0,4(R2)
        N     R0,=0xFFFF
        AR    R1,R0
        AHI   R2,8
        J     rdl1
rdl2:   L     R0,LC_CSW+4
        N     R0,=0xFFFF
        SR    R1,R0                   ; bytes transferred
        LM    R2,R3,SL_DUE(R6)
        ALR   R3,R1
        BRC   12,rdl3
        AHI   R2,1
rdl3:   STM   R2,R3,SL_DUE(R6)
        BR    R14

* io_due: R1 = the held interruption due at vnow (R4:R5) first, lowest device on a tie
* (PoO 8.9), or 0. Keeps R4, R5. Link R14.
io_due: LHI   R1,0
        LA    R10,slots
        LHI   R11,NSLOTS
iod1:   L     R0,SL_STATE(R10)
        CHI   R0,2
        JNE   iod2
        LM    R2,R3,SL_DUE(R10)
        CMP64 R2,R3,R4,R5
        JH    iod2                    ; not yet
        LTR   R1,R1
        JZ    iod_take
        LM    R6,R7,SL_DUE(R1)
        CMP64 R2,R3,R6,R7
        JL    iod_take
        JH    iod2
        L     R0,SL_DEV(R10)
        C     R0,SL_DEV(R1)
        JNL   iod2
iod_take: LR  R1,R10
iod2:   LA    R10,SLOTLEN(R10)
        BRCT  R11,iod1
        BR    R14

* io_present: present slot R1's interruption (run.s): the CSW to the guest's X'40', then the
* reflection with the device address as the code (PoO 5.5).
io_present: LM R2,R3,SL_CSW(R1)
        L     R4,=GUEST_BASE
        STM   R2,R3,LC_CSW(R4)
        LHI   R0,0
        ST    R0,SL_STATE(R1)
        L     R3,SL_DEV(R1)
        LHI   R2,INT_IO
        J     reflect_go

* TEST I/O (PoO 8.8.2): CC 1 and the CSW when an interruption is due, CC 2 while busy.
em_tio: BRAS  R14,eas
        LR    R11,R7
        N     R11,=0xFFFF
        BRAS  R14,slotof
        L     R0,SL_STATE(R6)
        CHI   R0,1
        JE    tio_run
        CHI   R0,2
        JE    tio_held
        TIO   0(R11)                  ; idle here: the real device answers (CC 0 or 3)
        JZ    io_cc0
        BRC   2,io_cc2
        BRC   1,io_cc3
        BRAS  R14,cswx
        J     io_csw1
tio_run: TIO  0(R11)                  ; started: has the real interruption come meanwhile?
        BRC   11,io_cc2               ; CC 0, 2, 3: still busy as far as the guest can tell
        BRAS  R14,rdlate              ; CC 1: its status, taken now, held
        BRAS  R14,cswx
        LHI   R0,2
        ST    R0,SL_STATE(R6)
tio_held: LM  R2,R3,SL_DUE(R6)        ; due at or before this TIO's time (vnow - 1)?
        LM    R8,R9,vnow
        LHI   R0,0
        LHI   R1,1
        SUB64 R8,R9,R0,R1
        CMP64 R2,R3,R8,R9
        JH    io_cc2
        LHI   R0,0
        ST    R0,SL_STATE(R6)
io_csw1: LM   R2,R3,SL_CSW(R6)
        L     R4,=GUEST_BASE
        STM   R2,R3,LC_CSW(R4)
        LHI   R1,1
        J     io_cc
io_cc0: LHI   R1,0
        J     io_cc
io_cc2: LHI   R1,2
        J     io_cc
io_cc3: LHI   R1,3
io_cc:  SETCC R1
        J     resume

* HALT I/O (PoO 8.8.3): an operation in progress ends now; CC 1. Nothing to halt: CC 0.
em_hio: BRAS  R14,eas
        LR    R11,R7
        N     R11,=0xFFFF
        BRAS  R14,slotof
        L     R0,SL_STATE(R6)
        LTR   R0,R0
        JNZ   hio_busy
        HIO   0(R11)
        JZ    io_cc0
        J     io_cc3
hio_busy: CHI R0,1
        JNE   hio_held
        L     R0,SL_LMOD(R6)
        C     R0,=0x7FFFFFFF
        JE    hio_held                ; halted already: its interruption is pending
        HIO   0(R11)                  ; the real one ends too; its interruption comes at once
        J     hio_now
hio_held: LM  R2,R3,SL_DUE(R6)
        LM    R8,R9,vnow
        LHI   R0,0
        LHI   R1,1
        SUB64 R8,R9,R0,R1
        CMP64 R2,R3,R8,R9
        JNH   io_cc0                  ; already pending: not changed
hio_now: L    R0,=0x7FFFFFFF          ; the real interruption's time says nothing now
        ST    R0,SL_LMOD(R6)
        LM    R2,R3,vnow              ; due now: the HIO's time
        LHI   R0,0
        LHI   R1,1
        SUB64 R2,R3,R0,R1
        STM   R2,R3,SL_DUE(R6)
        LHI   R1,1
        J     io_cc
