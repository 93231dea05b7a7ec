// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.CrashTest;

/// <summary>
/// The host's ledger of a power-cut run: every write submitted to each P-VOL, block by block in submission order,
/// and which were answered GOOD. No two writes to a block are in flight at once, so a block's writes land, and are
/// answered, in the order they were submitted: the newest answered write of a block is what it must hold at least.
/// </summary>
internal sealed class PowerCutLedger
{
    private readonly List<PowerCutWrite>[][] _blocks;
    private readonly bool[][] _inFlight;
    private readonly Dictionary<long, PowerCutWrite> _writes = [];
    private long _nextId;

    /// <summary>Initializes an empty ledger.</summary>
    /// <param name="volumes">The P-VOLs.</param>
    /// <param name="blocks">Their size in blocks.</param>
    public PowerCutLedger(int volumes, long blocks)
    {
        _blocks = new List<PowerCutWrite>[volumes][];
        _inFlight = new bool[volumes][];
        for (int v = 0; v < volumes; v++)
        {
            _blocks[v] = new List<PowerCutWrite>[blocks];
            _inFlight[v] = new bool[blocks];
            for (long b = 0; b < blocks; b++)
            {
                _blocks[v][b] = [];
            }
        }
    }

    /// <summary>Gets every write submitted, by ID.</summary>
    public IReadOnlyDictionary<long, PowerCutWrite> Writes => _writes;

    /// <summary>Plans a write, unless a block of it has a write in flight (the host never overlaps its own writes).</summary>
    /// <param name="volume">The P-VOL.</param>
    /// <param name="lba">The first block.</param>
    /// <param name="blocks">The blocks.</param>
    /// <param name="now">The run's clock.</param>
    /// <returns>The write, not yet recorded (see <see cref="Submitted"/>), or null.</returns>
    public PowerCutWrite? TryPlan(int volume, long lba, int blocks, long now)
    {
        for (int i = 0; i < blocks; i++)
        {
            if (_inFlight[volume][lba + i])
            {
                return null;
            }
        }

        return new PowerCutWrite(_nextId + 1, volume, lba, blocks, now);
    }

    /// <summary>Records a planned write the controller took.</summary>
    /// <param name="write">The write.</param>
    public void Submitted(PowerCutWrite write)
    {
        _nextId = write.Id;
        _writes[write.Id] = write;
        for (int i = 0; i < write.Blocks; i++)
        {
            _blocks[write.Volume][write.Lba + i].Add(write);
            _inFlight[write.Volume][write.Lba + i] = true;
        }
    }

    /// <summary>Records an answer.</summary>
    /// <param name="id">The write.</param>
    /// <param name="good">True for GOOD.</param>
    /// <param name="now">The run's clock.</param>
    public void Answered(long id, bool good, long now)
    {
        PowerCutWrite write = _writes[id];
        write.Acknowledged = good ? now : 0;
        for (int i = 0; i < write.Blocks; i++)
        {
            _inFlight[write.Volume][write.Lba + i] = false;
        }
    }

    /// <summary>Gets a block's writes in submission order.</summary>
    /// <param name="volume">The P-VOL.</param>
    /// <param name="lba">The block.</param>
    /// <returns>The writes.</returns>
    public List<PowerCutWrite> Of(int volume, long lba)
    {
        return _blocks[volume][lba];
    }

    /// <summary>Gets the newest write of a block answered GOOD before a moment, or null.</summary>
    /// <param name="volume">The P-VOL.</param>
    /// <param name="lba">The block.</param>
    /// <param name="before">The run's clock.</param>
    /// <returns>The write or null.</returns>
    public PowerCutWrite? LastAcknowledged(int volume, long lba, long before = long.MaxValue)
    {
        List<PowerCutWrite> writes = _blocks[volume][lba];
        for (int i = writes.Count - 1; i >= 0; i--)
        {
            if (writes[i].Acknowledged > 0 && writes[i].Acknowledged < before)
            {
                return writes[i];
            }
        }

        return null;
    }
}
