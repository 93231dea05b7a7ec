// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Architecture.Tests;

/// <summary>
/// The cycles of a namespace graph: its strongly connected components of more than one namespace (Tarjan's
/// algorithm), each told as the namespaces in it and the edges between them with their example type pairs. A
/// layer table says what may be used; this says that no two namespaces use each other, even through others, which
/// a table with a wrong row would let pass.
/// </summary>
internal static class NamespaceCycles
{
    /// <summary>Finds the cycles of a graph.</summary>
    /// <param name="edges">Each namespace and the namespaces it uses, each with examples ("Type -> Type").</param>
    /// <returns>One line per cycle: its namespaces, then each edge inside it with its examples; sorted, so stable.</returns>
    public static string[] Find(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string[]>> edges)
    {
        List<string> lines = [];
        foreach (SortedSet<string> component in StronglyConnected(edges))
        {
            if (component.Count < 2)
            {
                continue;
            }

            IEnumerable<string> inside = component.SelectMany(from => edges[from]
                .Where(edge => component.Contains(edge.Key))
                .OrderBy(edge => edge.Key, StringComparer.Ordinal)
                .Select(edge => from + " -> " + edge.Key + " (" + string.Join(", ", edge.Value) + ")"));
            lines.Add("{" + string.Join(", ", component) + "}: e.g. " + string.Join(" -> ", ShortestCycle(edges, component)) + "; " + string.Join("; ", inside));
        }

        lines.Sort(StringComparer.Ordinal);
        return [.. lines];
    }

    // The shortest cycle through the component's first namespace (breadth first, inside the component): the example a
    // reader follows first.
    private static List<string> ShortestCycle(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string[]>> edges, SortedSet<string> component)
    {
        string start = component.Min!;
        Dictionary<string, string> cameFrom = new(StringComparer.Ordinal);
        Queue<string> frontier = new([start]);
        while (frontier.Count > 0)
        {
            string node = frontier.Dequeue();
            foreach (string target in edges[node].Keys.Where(component.Contains).Order(StringComparer.Ordinal))
            {
                if (target == start)
                {
                    List<string> cycle = [start];
                    for (string step = node; step != start; step = cameFrom[step])
                    {
                        cycle.Insert(1, step);
                    }

                    cycle.Add(start);
                    return cycle;
                }

                if (cameFrom.TryAdd(target, node))
                {
                    frontier.Enqueue(target);
                }
            }
        }

        throw new InvalidOperationException("a strongly connected component without a cycle through " + start);
    }

    private static List<SortedSet<string>> StronglyConnected(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string[]>> edges)
    {
        Dictionary<string, int> index = new(StringComparer.Ordinal);
        Dictionary<string, int> lowLink = new(StringComparer.Ordinal);
        Stack<string> stack = new();
        HashSet<string> onStack = new(StringComparer.Ordinal);
        List<SortedSet<string>> components = [];

        void Visit(string node)
        {
            index[node] = lowLink[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            IEnumerable<string> targets = edges.TryGetValue(node, out IReadOnlyDictionary<string, string[]>? used) ? used.Keys : [];
            foreach (string target in targets)
            {
                if (!index.ContainsKey(target))
                {
                    Visit(target);
                    lowLink[node] = Math.Min(lowLink[node], lowLink[target]);
                }
                else if (onStack.Contains(target))
                {
                    lowLink[node] = Math.Min(lowLink[node], index[target]);
                }
            }

            if (lowLink[node] == index[node])
            {
                SortedSet<string> component = new(StringComparer.Ordinal);
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                components.Add(component);
            }
        }

        foreach (string node in edges.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return components;
    }
}
