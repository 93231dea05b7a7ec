// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Queues;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;
using Microsoft.Extensions.ObjectPool;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The Copy Management Table of one controller (seed 000 FIG 6, R0-4): a row per pair, queryable by volume address,
/// and the only place pair state changes. A thin front over the owners of the Pairs core (docs/architecture.md, "The
/// Pairs core"): the <see cref="PairRegistry"/> (the rows, their publication to the write path, the one lock, the kept
/// state), the <see cref="PairStateMachine"/> (the command tables and the event log), the
/// <see cref="AtomicSplitEngine"/> with a <see cref="SplitCoordinator"/> per split and <see cref="PeerSplits"/>, the
/// replication link (<see cref="RemotePrimary"/>, <see cref="RemoteSecondary"/>), the <see cref="PairTakeover"/> and
/// the <see cref="DeterminingQueue"/>, the <see cref="MirrorNameCatalog"/> and the <see cref="PairRestorer"/>. Control
/// plane: one lock, never taken by the host write path (only by its rare fault path, and by a copy job's last step).
/// </summary>
public sealed class CopyManagementTable
{
    /// <summary>The most local mirrors one P-VOL may have (mirror units 0-2).</summary>
    public const int MaxLocalMirrorsPerPVol = 3;

    /// <summary>The most pair events the table keeps (the oldest are dropped and counted beyond it).</summary>
    public const int EventCapacity = 16_384;

    /// <summary>The longest mirror name (the FIG 8 name block holds 1-32 characters).</summary>
    public const int MaxMirrorNameLength = 32;

    /// <summary>Initializes an empty table.</summary>
    /// <param name="table">The command table that decides every command (the local-mirror table here).</param>
    /// <param name="sequencer">The controller's write sequence, stamped on events and split points.</param>
    /// <param name="scheduler">The controller's scheduler: its clock stamps events; copy jobs pace on it.</param>
    /// <param name="pace">How fast copies run.</param>
    /// <param name="fanIns">The pool of write fan-ins the copy jobs share with the write path.</param>
    /// <param name="trackBuffers">The pool of one-track buffers the copy jobs read into.</param>
    internal CopyManagementTable(PairCommandTable table, WriteSequencer sequencer, IScheduler scheduler, CopyPace pace, ObjectPool<WriteFanIn> fanIns, TrackBufferPool trackBuffers)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(sequencer);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(pace);
        ArgumentNullException.ThrowIfNull(fanIns);
        ArgumentNullException.ThrowIfNull(trackBuffers);

        // The owners, each given the ones built before it; the rest they reach through this front when they run.
        Registry = new PairRegistry(scheduler);
        States = new PairStateMachine(this, Registry, table, sequencer, scheduler, pace, fanIns, trackBuffers);
        Names = new MirrorNameCatalog(this, Registry);
        Primary = new RemotePrimary(this, scheduler);
        Secondary = new RemoteSecondary(this, sequencer, scheduler, fanIns);
        Takeover = new PairTakeover(this, sequencer, scheduler);
        Queue = new DeterminingQueue(this);
        Splits = new AtomicSplitEngine(this, sequencer, scheduler);
        PeerSplits = new PeerSplits(Splits);
        Restorer = new PairRestorer(this);
    }

    /// <summary>
    /// Raised once per atomic split when it ends, refused, aborted or committed, with its result and telemetry (hold
    /// times, drain), whoever started it: a host over the wire, a test, the demo. Runs on the thread that ends the
    /// split (an MP or a timer); a handler must be quick and must not block.
    /// </summary>
    public event Action<AtomicSplitResult>? SplitFinished;

    /// <summary>Gets the serial number of the subsystem this table belongs to (it names the atomic splits it coordinates).</summary>
    public int Serial
    {
        get => Splits.Serial;
        init => Splits.Serial = value;
    }

    /// <summary>Gets the command table of determining pairs: T1 with FIG 3's configurable T8 and T9 (FIG 4 decides their resyncs).</summary>
    public PairCommandTable DeterminingTable
    {
        get => States.DeterminingTable;
        init => States.DeterminingTable = value;
    }

    /// <summary>Gets the rows, their publication to the write path, the lock and the kept state.</summary>
    internal PairRegistry Registry { get; }

    /// <summary>Gets the state machine: the command tables and the event log.</summary>
    internal PairStateMachine States { get; }

    /// <summary>Gets the mirror-name catalog.</summary>
    internal MirrorNameCatalog Names { get; }

    /// <summary>Gets the replication link at a remote pair's primary.</summary>
    internal RemotePrimary Primary { get; }

    /// <summary>Gets the replication link at a remote pair's secondary.</summary>
    internal RemoteSecondary Secondary { get; }

    /// <summary>Gets the commands passed to a remote pair's owner, the swaps and the S-VOL takeover.</summary>
    internal PairTakeover Takeover { get; }

    /// <summary>Gets the host commands on remote pairs and the queue of a determining pair's commands.</summary>
    internal DeterminingQueue Queue { get; }

    /// <summary>Gets the atomic splits (each run by its own coordinator).</summary>
    internal AtomicSplitEngine Splits { get; }

    /// <summary>Gets the peer's side of cross-subsystem atomic splits.</summary>
    internal PeerSplits PeerSplits { get; }

    /// <summary>Gets the restart table's restore of kept rows.</summary>
    internal PairRestorer Restorer { get; }

    /// <summary>Gets the MPs the drains, releases and far volumes' stand-ins run on (set once, at start).</summary>
    internal IReadOnlyList<MpWorker<BlockCommand>> Mps { get; private set; } = [];

    /// <summary>Gets the handler that runs a released write as if it had just arrived (set once, at start).</summary>
    internal ICommandHandler<BlockCommand>? Handler { get; private set; }

    /// <summary>
    /// Creates a local pair (paircreate). On volumes that already form a pair the table decides (a no-op in
    /// COPY or PAIR, rejected when suspended); otherwise the volumes are checked, a row is added and the pair
    /// enters COPY for its initial copy.
    /// </summary>
    /// <param name="pVolAddress">The P-VOL's address.</param>
    /// <param name="pVol">The P-VOL.</param>
    /// <param name="sVolAddress">The S-VOL's address.</param>
    /// <param name="sVol">The S-VOL.</param>
    /// <returns>The answer.</returns>
    public PairCommandResponse Create(VolumeAddress pVolAddress, Ldev pVol, VolumeAddress sVolAddress, Ldev sVol)
    {
        ArgumentNullException.ThrowIfNull(pVol);
        ArgumentNullException.ThrowIfNull(sVol);
        if (pVol.Owner is null || sVol.Owner is null)
        {
            ThrowHelper.ThrowInvalidOperation("LDEV " + (pVol.Owner is null ? pVol.Id : sVol.Id) + " is not attached to an MP of this subsystem");
        }

        return States.Create(pVolAddress, pVol, sVolAddress, sVol);
    }

    /// <summary>Creates a local pair without an initial copy (paircreate -nocopy), when FIG 12's proof holds.</summary>
    /// <param name="pVolAddress">The new P-VOL's address (LV3).</param>
    /// <param name="pVol">The new P-VOL.</param>
    /// <param name="sVolAddress">The new S-VOL's address (LV4).</param>
    /// <param name="sVol">The new S-VOL.</param>
    /// <returns>The answer: COPY of the tracks changed since the split (PAIR follows), or the refusal and why.</returns>
    public PairCommandResponse CreateNoCopy(VolumeAddress pVolAddress, Ldev pVol, VolumeAddress sVolAddress, Ldev sVol)
    {
        ArgumentNullException.ThrowIfNull(pVol);
        ArgumentNullException.ThrowIfNull(sVol);
        return States.CreateNoCopy(pVolAddress, pVol, sVolAddress, sVol);
    }

    /// <summary>Runs a command on the pair of two volumes, as the command table decides.</summary>
    /// <param name="pVolAddress">The P-VOL's address.</param>
    /// <param name="sVolAddress">The S-VOL's address.</param>
    /// <param name="operation">The command (use <see cref="Create"/> to create).</param>
    /// <param name="splitMode">For a split: whether the S-VOL becomes read/write.</param>
    /// <returns>The answer; with no such pair, the table's SMPL row decides (delete is a no-op, the rest NotPaired).</returns>
    public PairCommandResponse Execute(VolumeAddress pVolAddress, VolumeAddress sVolAddress, PairOperation operation, SplitMode splitMode = SplitMode.ReadOnly)
    {
        if (operation == PairOperation.Create)
        {
            ThrowHelper.ThrowArgument(nameof(operation), "create needs the LDEVs: call Create");
        }

        return States.Execute(pVolAddress, sVolAddress, operation, splitMode);
    }

    /// <summary>Gets the pace every copy of this subsystem runs at (R2-30's copy duration).</summary>
    public CopyPace Pace => States.Pace;

    /// <summary>Finds the pair of two volumes.</summary>
    /// <param name="pVolAddress">The P-VOL's address.</param>
    /// <param name="sVolAddress">The S-VOL's address.</param>
    /// <returns>The pair, or null.</returns>
    public MirrorPair? Find(VolumeAddress pVolAddress, VolumeAddress sVolAddress)
    {
        return Registry.Find(pVolAddress, sVolAddress);
    }

    /// <summary>Lists the pairs a volume takes part in, in either role.</summary>
    /// <param name="volume">The volume's address.</param>
    /// <returns>The pairs, in entry order.</returns>
    public IReadOnlyList<MirrorPair> FindByVolume(VolumeAddress volume)
    {
        return Registry.FindByVolume(volume);
    }

    /// <summary>Lists the pairs of a mirror name (names are defined by NAME MIRRORS, issue #5).</summary>
    /// <param name="mirrorName">The name; compared exactly (ordinal).</param>
    /// <returns>The pairs, in entry order; empty for an unknown name.</returns>
    public IReadOnlyList<MirrorPair> FindByMirrorName(string mirrorName)
    {
        ArgumentNullException.ThrowIfNull(mirrorName);
        return Names.FindByMirrorName(mirrorName);
    }

    /// <summary>Lists every pair, in entry order.</summary>
    /// <returns>A copy of the rows.</returns>
    public IReadOnlyList<MirrorPair> GetPairs()
    {
        return Registry.GetPairs();
    }

    /// <summary>
    /// Blocks until the pair of two volumes is in a state, or the time runs out (pairevtwait). Real-time mode
    /// only: in deterministic mode nothing else would run, so run the scheduler instead.
    /// </summary>
    /// <param name="pVolAddress">The P-VOL's address.</param>
    /// <param name="sVolAddress">The S-VOL's address.</param>
    /// <param name="state">The state to wait for (SMPL: the pair is gone).</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <returns>True when the pair reached the state, false on timeout.</returns>
    public bool WaitForState(VolumeAddress pVolAddress, VolumeAddress sVolAddress, PairState state, TimeSpan timeout)
    {
        return Registry.WaitForState(pVolAddress, sVolAddress, state, timeout);
    }

    /// <summary>Gets the number of pair events dropped from the log to keep it within <see cref="EventCapacity"/>.</summary>
    public long DroppedEvents => States.DroppedEvents;

    /// <summary>Lists the event log (the newest <see cref="EventCapacity"/> events), oldest first.</summary>
    /// <returns>A copy of the events.</returns>
    public IReadOnlyList<PairEvent> GetEvents()
    {
        return States.GetEvents();
    }

    /// <summary>
    /// Suspends a pair by error from the data path or the copy engine (PSUE): a mirror write or a copied track
    /// that could not land. Decided by the table's SuspendByError column like the command.
    /// </summary>
    /// <param name="pair">The pair.</param>
    /// <param name="cause">Why.</param>
    internal void SuspendOnFault(MirrorPair pair, PairEventCause cause)
    {
        States.SuspendOnFault(pair, cause);
    }

    /// <summary>
    /// Ends a copy: the job's last step found nothing left to copy and nothing in flight. Called on the source's
    /// MP, so no host write to the source comes between this and the next write, which already sees PAIR.
    /// </summary>
    /// <param name="pair">The pair.</param>
    /// <param name="job">The job; ignored unless it is still the pair's running copy.</param>
    /// <returns>True when the pair went to PAIR.</returns>
    internal bool CompleteCopy(MirrorPair pair, CopyJob job)
    {
        return States.CompleteCopy(pair, job);
    }

    /// <summary>
    /// Gets or sets a fault-injection point for tests: called when a split's drain is done, before its commit; it may
    /// change pairs (e.g. suspend a member by error) and returns how long to delay the commit (zero: at once), so a
    /// test can make the hold outlast its timeout on the virtual clock.
    /// </summary>
    internal Func<AtomicSplit, TimeSpan>? BeforeSplitCommit
    {
        get => Splits.BeforeSplitCommit;
        set => Splits.BeforeSplitCommit = value;
    }

    /// <summary>
    /// Gets or sets a fault-injection point for tests: called by <see cref="StartAtomicSplit"/> right after it leaves
    /// the table's lock, where another thread (the hold timer, a peer's abort) may end the split first.
    /// </summary>
    internal Action<AtomicSplit>? AfterStartUnlocked
    {
        get => Splits.AfterStartUnlocked;
        set => Splits.AfterStartUnlocked = value;
    }

    /// <summary>
    /// Starts an ATOMIC SPLIT (FIG 7 by list, FIG 9 by name). A refusal by the pre-check is answered at once; an
    /// accepted split is answered when every member is split and the held writes are released, or when it aborts.
    /// </summary>
    /// <param name="request">The command.</param>
    /// <param name="completed">Called once with the answer (on the calling thread for a refusal, else on an MP or timer thread).</param>
    /// <returns>The split; its <see cref="AtomicSplit.Result"/> is set when it ends.</returns>
    public AtomicSplit StartAtomicSplit(AtomicSplitRequest request, Action<AtomicSplitResult>? completed = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        Action<AtomicSplitResult>? finished = SplitFinished;
        if (finished is not null)
        {
            // The observers first: they only keep the result, and the answer to the host (completed) then finds them done.
            Action<AtomicSplitResult>? answer = completed;
            completed = result =>
            {
                finished(result);
                answer?.Invoke(result);
            };
        }

        if ((request.Pairs is null) == (request.MirrorName is null))
        {
            ThrowHelper.ThrowArgument(nameof(request), "an atomic split names its members by a pair list or by a mirror name, exactly one of them");
        }

        return Splits.Start(request, completed);
    }

    /// <summary>Lists the split log (hold, drain done, commit, release, abort; the newest <see cref="EventCapacity"/>), oldest first (R0-35).</summary>
    /// <returns>A copy of the events.</returns>
    public IReadOnlyList<AtomicSplitEvent> GetSplitEvents()
    {
        return Splits.GetSplitEvents();
    }

    /// <summary>Gives the table the MPs its drains and releases run on (the subsystem does, once, at start).</summary>
    /// <param name="mps">Every MP.</param>
    /// <param name="handler">Runs a released write as if it had just arrived.</param>
    internal void AttachMps(IReadOnlyList<MpWorker<BlockCommand>> mps, ICommandHandler<BlockCommand> handler)
    {
        Mps = mps;
        Handler = handler;
    }

    internal void OnSplitTimeout(AtomicSplit split)
    {
        split.Coordinator.OnTimeout();
    }

    /// <summary>Gets the most pairs a write passes through, P-VOL to the last cascade (a drain needs one round per hop).</summary>
    /// <returns>The hops; 0 with no pair.</returns>
    internal int LongestChain()
    {
        lock (Registry.Lock)
        {
            return Registry.LongestChainUnsynchronized();
        }
    }

    /// <summary>
    /// Adds a remote-copy path to a peer subsystem: pairs whose S-VOL is on one of the peer's ports use it, and the
    /// path going down suspends them.
    /// </summary>
    /// <param name="path">The path.</param>
    public void AddRemotePath(IRemoteCopyPath path)
    {
        Primary.AddRemotePath(path);
    }

    /// <summary>Finds the path that reaches a port of a peer.</summary>
    /// <param name="port">A port ID.</param>
    /// <returns>The path, or null when no peer has the port.</returns>
    public IRemoteCopyPath? FindRemotePath(PortId port)
    {
        return Primary.FindRemotePath(port);
    }

    /// <summary>
    /// Creates a remote pair (paircreate with a fence level): the secondary checks its S-VOL and creates its side in
    /// COPY, then this side is created and the initial copy runs over the link. On volumes that already form a pair
    /// the table decides (a no-op in COPY or PAIR, rejected when suspended).
    /// </summary>
    /// <param name="pVolAddress">The P-VOL's address (a port of this subsystem).</param>
    /// <param name="pVol">The P-VOL.</param>
    /// <param name="sVolAddress">The S-VOL's address (a port of the peer).</param>
    /// <param name="fence">The fence level.</param>
    /// <param name="noCopy">
    /// Create without the initial copy (FIG 12): the P-VOL and the S-VOL must be split S-VOLs of one atomic split
    /// whose P-VOLs were one mirrored image; only the tracks written on either since are copied.
    /// </param>
    /// <param name="determining">Create a determining pair (seed 002): its resyncs are decided by FIG 4.</param>
    /// <returns>The answer, once the secondary has answered (or the link failed).</returns>
    public Task<PairCommandResponse> CreateRemoteAsync(VolumeAddress pVolAddress, Ldev pVol, VolumeAddress sVolAddress, FenceLevel fence, bool noCopy = false, bool determining = false)
    {
        return Primary.CreateRemoteAsync(pVolAddress, pVol, sVolAddress, fence, noCopy, determining);
    }

    /// <summary>
    /// Runs a command on a pair, local or remote. A local pair's command is decided at once (<see cref="Execute"/>);
    /// a remote pair's is agreed with its secondary first. At the secondary a delete of a pair whose primary is out
    /// of reach (PSUE) and an S-VOL takeover (a read/write split in PSUE) are run there; every other command is
    /// passed to the primary over a path that reaches it, and refused with <see cref="PairErrorCode.NotPrimary"/>
    /// when there is none (<see cref="PairTakeover"/>).
    /// </summary>
    /// <param name="pVolAddress">The P-VOL's address.</param>
    /// <param name="sVolAddress">The S-VOL's address.</param>
    /// <param name="operation">The command (use <see cref="Create"/> or <see cref="CreateRemoteAsync"/> to create).</param>
    /// <param name="splitMode">For a split: whether the S-VOL becomes read/write.</param>
    /// <returns>The answer.</returns>
    public Task<PairCommandResponse> ExecuteAsync(VolumeAddress pVolAddress, VolumeAddress sVolAddress, PairOperation operation, SplitMode splitMode = SplitMode.ReadOnly)
    {
        return Queue.ExecuteAsync(pVolAddress, sVolAddress, operation, splitMode);
    }

    /// <summary>Gets the number of commands on determining pairs that waited for an earlier one instead of being refused BUSY.</summary>
    public long DeterminingCommandsQueued => Queue.DeterminingCommandsQueued;

    /// <summary>Rents the state of one update copy in flight (the write path, on an MP).</summary>
    /// <returns>The pooled object.</returns>
    internal RemoteUpdateSend RentUpdateSend()
    {
        return Primary.RentUpdateSend();
    }

    /// <summary>
    /// Carries out a pair-control message from a primary. The reply comes once, at once or (for a resync, which
    /// takes the S-side bitmap on the S-VOL's MP) from that MP.
    /// </summary>
    /// <param name="peer">The primary's link identity (its initiator port ID): the row follows it, and its loss suspends the row.</param>
    /// <param name="request">The message.</param>
    /// <param name="sVol">For a create: the LDEV at the S-VOL's address here (the port front resolves it), or null.</param>
    /// <param name="reply">Told the answer.</param>
    public void ReceiveRemoteControl(int peer, RemoteControl request, Ldev? sVol, Action<RemoteControlReply> reply)
    {
        Secondary.ReceiveRemoteControl(peer, request, sVol, reply);
    }

    /// <summary>
    /// Takes an update copy from a primary: checks that its S-VOL's side is mirroring and queues the write to the
    /// S-VOL's MP. The completion is told once the S-VOL and every cascade below it have the data (Good), or that it
    /// did not land. Lock-free; allocates nothing.
    /// </summary>
    /// <param name="update">The update.</param>
    /// <param name="completion">Told when it has ended (the origin command it gets is a mirror write of the pair).</param>
    /// <param name="tag">The caller's tag (the exchange).</param>
    /// <returns>None when queued; else why it was refused at once (nothing was written).</returns>
    public PairErrorCode ReceiveRemoteUpdate(in RemoteUpdate update, IBlockCommandCompletion completion, long tag)
    {
        return Secondary.ReceiveRemoteUpdate(in update, completion, tag);
    }

    /// <summary>
    /// The link from a primary is gone (its connection closed, or the in-process path went down): every row that
    /// follows it and was mirroring is suspended by error, as soon as this side learns of it.
    /// </summary>
    /// <param name="peer">The primary's link identity.</param>
    public void OnRemotePeerLost(int peer)
    {
        Secondary.OnRemotePeerLost(peer);
    }

    /// <summary>
    /// Defines a mirror name for pairs of this subsystem, replacing the members of an existing name; no pairs deletes
    /// the name (a no-op when it is not defined). All or nothing: an invalid name, a pair listed twice, a pair that
    /// does not exist or one that belongs to another name refuses the command and changes nothing. A name with
    /// members in a peer is defined by <see cref="NameMirrorsAsync"/>.
    /// </summary>
    /// <param name="mirrorName">The name: 1-32 printable ASCII characters (0x21-0x7E).</param>
    /// <param name="pairs">The members, in order.</param>
    /// <returns>The answer: None, or the error with the failing pair in the message.</returns>
    public MirrorNameResponse NameMirrors(string mirrorName, IReadOnlyList<PairAddress> pairs)
    {
        return Names.NameMirrors(mirrorName, pairs);
    }

    /// <summary>
    /// Defines, replaces or deletes a mirror name whose members may live in this subsystem and in a peer (R0-12,
    /// R0-29): the members here are checked, the peer checks and records its own (and the whole list), then the
    /// name is recorded here. Either subsystem then lists the same members in the same order.
    /// </summary>
    /// <param name="mirrorName">The name.</param>
    /// <param name="pairs">The members, in order, in either subsystem.</param>
    /// <returns>The answer, once the peer has answered (at once when every member is here).</returns>
    public Task<MirrorNameResponse> NameMirrorsAsync(string mirrorName, IReadOnlyList<PairAddress> pairs)
    {
        return Names.NameMirrorsAsync(mirrorName, pairs);
    }

    /// <summary>Lists the defined mirror names and their members, in order.</summary>
    /// <returns>Name to members.</returns>
    public IReadOnlyDictionary<string, IReadOnlyList<PairAddress>> GetMirrorNames()
    {
        return Names.GetMirrorNames();
    }

    /// <summary>Tells whether a text may be a mirror name: 1-32 characters, each printable ASCII 0x21-0x7E.</summary>
    /// <param name="mirrorName">The text.</param>
    /// <returns>True when valid.</returns>
    public static bool IsValidMirrorName(string mirrorName)
    {
        return MirrorNameCatalog.IsValidMirrorName(mirrorName);
    }

    /// <summary>
    /// Gets or sets where row changes are kept (null: nowhere, as with RAM stores). Set once, before the controller
    /// takes commands.
    /// </summary>
    public IPairStateSink? StateSink
    {
        get => Registry.StateSink;
        set => Registry.StateSink = value;
    }

    /// <summary>
    /// Makes every row change made so far durable: called before a copy-management command is answered, so an
    /// acknowledged command's change survives a crash.
    /// </summary>
    public void CommitState()
    {
        Registry.CommitState();
    }

    /// <summary>
    /// Gives an answer only once the change it reports is durable (docs/durability.md): at once with nothing kept (RAM
    /// stores); else <see cref="CommitState"/> (a sync of the journal) and the answer run on the thread pool, never on
    /// an MP or a frame reader, which host I/O would wait behind.
    /// </summary>
    /// <param name="answer">Sends the answer.</param>
    public void CommitStateThen(Action answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        Registry.CommitStateThen(answer);
    }

    /// <summary>
    /// Hands every row, as plain values and as rows (for their bitmaps), to a checkpoint writer while holding the
    /// table's lock: no change can be made, and so none journaled, between the snapshot and the writer's end, so the
    /// checkpoint may replace the journal. Host writes do not wait (they never take the lock); commands do.
    /// </summary>
    /// <param name="write">Writes the checkpoint; runs under the lock.</param>
    /// <param name="owedThrough">A value of <see cref="OwedMarksSoFar"/> read before a drain of every write in flight
    /// began (a write-intent sweep), or 0: the rows whose owed marks are that old are held whole by this checkpoint.</param>
    public void Checkpoint(Action<List<PairSnapshot>, IReadOnlyList<MirrorPair>> write, long owedThrough = 0)
    {
        ArgumentNullException.ThrowIfNull(write);
        Registry.Checkpoint(write, owedThrough);
    }

    /// <summary>
    /// Gets the count of commands so far that moved tracks into bitmaps other than by host writes: read before a
    /// drain, then given to <see cref="Checkpoint"/> after it.
    /// </summary>
    /// <returns>The stamp.</returns>
    public long OwedMarksSoFar()
    {
        return Registry.OwedMarksSoFar();
    }

    /// <summary>
    /// Brings back a local pair from the kept state, by the restart table (docs/durability.md): after a graceful stop
    /// a suspended pair keeps its state and its bitmaps as kept; after a crash the bitmaps may be stale, so every track
    /// is marked on both sides (a superset: the next resync copies everything), and a pair that was mirroring (PAIR)
    /// is suspended by error (PSUE), since a mirror write in flight may have landed on one volume only. A pair that was
    /// copying (COPY, COPY(RS), RCPY) starts its copy again from the first track, so an S-VOL whose initial copy never
    /// finished stays in COPY and is never a plain volume.
    /// </summary>
    /// <param name="row">The kept row (a local pair; a remote one goes to <see cref="RestoreRemote"/> with the LDEV of its side).</param>
    /// <param name="pVol">Its P-VOL's LDEV, attached.</param>
    /// <param name="sVol">Its S-VOL's LDEV, attached.</param>
    /// <param name="loadBitmaps">Marks the kept bitmaps into the new row's P-side and S-side bitmaps.</param>
    /// <param name="afterCrash">True when the state was not written by a graceful stop.</param>
    /// <param name="inFlight">After a crash, the write-intent regions of the pair's volumes and of every volume joined
    /// to them by pairs (<see cref="WriteIntent.RegionTracks"/> tracks per bit): the only places a write may have been
    /// half done. Null when they are not known: then every track is suspect.</param>
    /// <returns>Null when restored; else why not.</returns>
    public string? Restore(PairSnapshot row, Ldev pVol, Ldev sVol, Action<MirrorPair> loadBitmaps, bool afterCrash, ulong[]? inFlight = null)
    {
        return Restorer.Restore(row, pVol, sVol, loadBitmaps, afterCrash, inFlight);
    }

    /// <summary>
    /// Brings back a kept remote pair's row by the restart table's remote rows (docs/durability.md). At the primary
    /// (the kept row's role is P-VOL) the row uses the remote-copy path that reaches its S-VOL's port, which must have
    /// been added (<see cref="AddRemotePath"/>) before: after a crash a pair that was PAIR is suspended by error
    /// (PSUE) and a split or suspended one keeps its state, each with every P-side track marked; COPY and COPY(RS)
    /// keep their state and copy every track again once the path is up (the secondary is told the state first). At
    /// the secondary (role S-VOL) the row comes back as kept, following the peer it names; after a crash the S side
    /// is marked wherever hosts could write the S-VOL (split read/write, an S-VOL takeover).
    /// </summary>
    /// <param name="row">The kept row (a remote pair).</param>
    /// <param name="local">The LDEV of this subsystem's volume: the P-VOL at the primary, the S-VOL at the secondary; attached.</param>
    /// <param name="loadBitmaps">Marks the kept bitmaps into the new row's P-side and S-side bitmaps.</param>
    /// <param name="afterCrash">True when the state was not written by a graceful stop.</param>
    /// <returns>Null when restored; else why not (the row, and what the configuration lacks).</returns>
    public string? RestoreRemote(PairSnapshot row, Ldev local, Action<MirrorPair> loadBitmaps, bool afterCrash)
    {
        return Restorer.RestoreRemote(row, local, loadBitmaps, afterCrash);
    }

    /// <summary>Gets the restored remote pairs whose copy waits for their link to come up (tests and diagnostics).</summary>
    /// <returns>Their addresses, in entry order.</returns>
    public IReadOnlyList<PairAddress> GetCopiesAwaitingLink()
    {
        return Restorer.GetCopiesAwaitingLink();
    }
}
