* services.s - the three service programs of the isolation lab (docs/lab-isolation.md), and two
* misbehaving neighbours. The same code runs in all three models: as a task of the lab kernel (one
* task per VM, or many tasks in one shared kernel) and linked with the library OS. A service
* reaches its system only through SYS (BRAS R14,sys): `sys` is an SVC stub in a kernel build
* (kernel.s) and a branch into the library in a library-OS build (libos.s). So nothing here knows
* which model it runs in.
*
* Convention: R10 -> the service's private storage (P_* below; a demand-paged private segment
* under the kernel, a fixed area under the library), R11 = its task id. SYS: R0 = function, R1-R3
* arguments, R15 = result; R0-R3 and R15 are not kept. Parameters (COUNT, KVN, COPYN, ...) are
* set by the generated top-level source (src/lab/build.ts).

* Functions of SYS.
F_PUT    = 1        ; console line: R1 = address, R2 = length (1..80)
F_EXIT   = 2        ; end the service: R1 = code
F_FWRITE = 3        ; file R1 (0..NFILES-1) = R3 bytes (1..FILESZ) from R2
F_FREAD  = 4        ; R3 bytes of file R1 into R2
F_YIELD  = 5        ; give up the CPU (a no-op under the library: the VM is alone on its CPU)
NFILES   = 2
FILESZ   = 256

* Private storage layout (offsets from R10).
P_LINE   = 0        ; the line being formatted
P_KV     = 0x100    ; kv: 16 slots of (key, value)
P_BUF1   = 0x200    ; copier: two file buffers
P_BUF2   = 0x300
P_STATE  = 0x400    ; counter: the count so far

* SAY text, len: put a literal line (the text sits in the read-only service pages). Uses R0-R2.
        .macro SAYLIT label, len
        LARL  R1,\label
        LHI   R2,\len
        LHI   R0,F_PUT
        BRAS  R14,sys
        .endm

* ---------------------------------------------------------------------------------------------
* counter: "count <n>" for n = 1..COUNT, then "count done".
* ---------------------------------------------------------------------------------------------
svc_count:
        XR    R9,R9
        ST    R9,P_STATE(R10)
cn1:    L     R9,P_STATE(R10)       ; the count lives in storage, so a flip there shows
        AHI   R9,1
        ST    R9,P_STATE(R10)
        LA    R1,P_LINE(R10)
        LARL  R2,t_count
        LHI   R3,6
        BRAS  R14,putstr
        LR    R0,R9
        BRAS  R14,putdec
        BRAS  R14,putline
        L     R9,P_STATE(R10)
        C     R9,=COUNT
        JL    cn1
        SAYLIT t_cdone,10
        J     finish

* ---------------------------------------------------------------------------------------------
* kv: a key-value store of 16 slots, open addressing (slot = key*7 mod 16, then linear probing).
* Puts keys 1..KVN with value key*key+7, then gets them back in reverse order: "kv <k>=<v>".
* ---------------------------------------------------------------------------------------------
svc_kv: LA    R2,P_KV(R10)          ; empty the table (key 0 = free)
        LHI   R3,32
        XR    R0,R0
kv0:    ST    R0,0(R2)
        LA    R2,4(R2)
        BRCT  R3,kv0
        LHI   R8,1                  ; R8 = key
kv1:    LR    R7,R8
        MSR   R7,R8
        AHI   R7,7                  ; R7 = value
        BRAS  R13,kvslot            ; R6 -> its slot
        ST    R8,0(R6)
        ST    R7,4(R6)
        AHI   R8,1
        CHI   R8,KVN
        JNH   kv1
        LHI   R8,KVN
kv2:    BRAS  R13,kvslot
        L     R7,4(R6)              ; its value (PUTDEC uses R2-R6)
        LA    R1,P_LINE(R10)
        LARL  R2,t_kv
        LHI   R3,3
        BRAS  R14,putstr
        LR    R0,R8
        BRAS  R14,putdec
        LHI   R0,'='
        STC   R0,0(R1)
        LA    R1,1(R1)
        LR    R0,R7
        BRAS  R14,putdec
        BRAS  R14,putline
        BRCT  R8,kv2
        SAYLIT t_kdone,7
        J     finish

* KVSLOT: R6 -> the slot holding key R8, or the first free slot on its probe path. Uses R4, R5.
* Return by R13. At most 16 probes: a damaged table cannot loop forever.
kvslot: LR    R5,R8
        MHI   R5,7
        NIL   R5,15
        LHI   R4,16
ks1:    LR    R6,R5
        SLL   R6,3
        AR    R6,R10
        LA    R6,P_KV(R6)
        C     R8,0(R6)
        BER   R13                   ; found the key
        L     R0,0(R6)
        LTR   R0,R0
        BZR   R13                   ; a free slot: the key is not there (yet)
        AHI   R5,1
        NIL   R5,15
        BRCT  R4,ks1
        BR    R13

* ---------------------------------------------------------------------------------------------
* copier: COPYN rounds of: fill a buffer with a pattern, write it to file 0, read file 0, write
* that to file 1 (the copy), read file 1 back and print its length and checksum: "copy <r> 256
* <sum>". The files are the service's own (the kernel or the library keeps them).
* ---------------------------------------------------------------------------------------------
svc_copy:
        LHI   R8,1                  ; R8 = round
cp1:    LA    R2,P_BUF1(R10)        ; pattern: byte i = i*37 + round*11
        XR    R3,R3
cp2:    LR    R0,R3
        MHI   R0,37
        LR    R4,R8
        MHI   R4,11
        AR    R0,R4
        STC   R0,0(R2)
        LA    R2,1(R2)
        AHI   R3,1
        CHI   R3,FILESZ
        JL    cp2
        LHI   R0,F_FWRITE           ; file 0 = buffer 1
        XR    R1,R1
        LA    R2,P_BUF1(R10)
        LHI   R3,FILESZ
        BRAS  R14,sys
        LHI   R0,F_FREAD            ; buffer 2 = file 0
        XR    R1,R1
        LA    R2,P_BUF2(R10)
        LHI   R3,FILESZ
        BRAS  R14,sys
        LHI   R0,F_FWRITE           ; file 1 = buffer 2: the copy
        LHI   R1,1
        LA    R2,P_BUF2(R10)
        LHI   R3,FILESZ
        BRAS  R14,sys
        LA    R2,P_BUF1(R10)        ; forget the source, then read the copy back
        LHI   R3,FILESZ/4
        XR    R0,R0
cp3:    ST    R0,0(R2)
        LA    R2,4(R2)
        BRCT  R3,cp3
        LHI   R0,F_FREAD
        LHI   R1,1
        LA    R2,P_BUF1(R10)
        LHI   R3,FILESZ
        BRAS  R14,sys
        LA    R2,P_BUF1(R10)        ; R7 = checksum: sum of bytes * position
        LHI   R3,FILESZ
        XR    R7,R7
        LHI   R5,1
cp4:    LLC   R0,0(R2)
        MSR   R0,R5
        AR    R7,R0
        LA    R2,1(R2)
        AHI   R5,1
        BRCT  R3,cp4
        LA    R1,P_LINE(R10)
        LARL  R2,t_copy
        LHI   R3,5
        BRAS  R14,putstr
        LR    R0,R8
        BRAS  R14,putdec
        LHI   R0,' '
        STC   R0,0(R1)
        LA    R1,1(R1)
        LHI   R0,FILESZ
        BRAS  R14,putdec
        LHI   R0,' '
        STC   R0,0(R1)
        LA    R1,1(R1)
        LR    R0,R7
        BRAS  R14,putdec
        BRAS  R14,putline
        AHI   R8,1
        CHI   R8,COPYN
        JNH   cp1
        SAYLIT t_pdone,9
        J     finish

* ---------------------------------------------------------------------------------------------
* Noisy neighbours: spin (compute forever, never a system call) and flood (print forever).
* ---------------------------------------------------------------------------------------------
svc_spin:
        AHI   R9,1
        J     svc_spin
svc_flood:
        SAYLIT t_flood,12
        J     svc_flood

* ---------------------------------------------------------------------------------------------
* Probes of the container's walls (test/lab-models.test.ts). snoop: after letting the others run,
* read file 0 and print its checksum: "snoop 0" unless it can see another service's file 0.
* hog: touch one page more than the storage quota allows, then print "hog done" (it never should).
* ---------------------------------------------------------------------------------------------
svc_snoop:
        ST    R8,P_BUF1(R10)        ; touch the buffer's page first: the kernel copies only into pages that exist
        LHI   R8,50
sn1:    LHI   R0,F_YIELD
        BRAS  R14,sys
        BRCT  R8,sn1
        LHI   R0,F_FREAD
        XR    R1,R1
        LA    R2,P_BUF1(R10)
        LHI   R3,FILESZ
        BRAS  R14,sys
        LA    R2,P_BUF1(R10)
        LHI   R3,FILESZ
        XR    R7,R7
sn2:    LLC   R0,0(R2)
        AR    R7,R0
        LA    R2,1(R2)
        BRCT  R3,sn2
        LA    R1,P_LINE(R10)
        LARL  R2,t_snoop
        LHI   R3,6
        BRAS  R14,putstr
        LR    R0,R7
        BRAS  R14,putdec
        BRAS  R14,putline
        J     finish
svc_hog:
        LR    R2,R10
        LHI   R3,QUOTA+1
hg1:    ST    R3,0(R2)              ; the first touch of each page: a page fault
        AHI   R2,4096
        BRCT  R3,hg1
        SAYLIT t_hog,8
        J     finish

* PUTLINE: put the text from P_LINE(R10) up to R1 on the console. Uses R0-R2, R15.
putline:
        LR    R12,R14
        LR    R2,R1
        LA    R1,P_LINE(R10)
        SR    R2,R1
        LHI   R0,F_PUT
        BRAS  R14,sys
        BR    R12

finish: LHI   R0,F_EXIT
        XR    R1,R1
        BRAS  R14,sys
        J     finish                ; never comes back

        .align 4
t_count: .ascii "count "
        .align 4
t_cdone: .ascii "count done"
        .align 4
t_kv:    .ascii "kv "
        .align 4
t_kdone: .ascii "kv done"
        .align 4
t_copy:  .ascii "copy "
        .align 4
t_pdone: .ascii "copy done"
        .align 4
t_flood: .ascii "flood flood!"
        .align 4
t_snoop: .ascii "snoop "
        .align 4
t_hog:   .ascii "hog done"
         .align 4
        .include "fmt.inc"          ; PUTSTR, PUTDEC, PUTHEX (the kernel and library call them too)
        .ltorg
